import type { Account, AccountStore } from './accountStore';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './passwords';
import { roleSchema, type Role } from '../../shared/roles';
import { passwordSchema, userNameSchema } from './names';

// Accounts over whichever store keeps them: names and passwords checked here once, for the CLI and the server.

export class AccountError extends Error {}

function valid<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AccountError(r.error.issues[0].message);
  return r.data;
}

export class Accounts {
  constructor(
    readonly store: AccountStore,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<Account[]> {
    return this.store.list();
  }

  async exist(): Promise<boolean> {
    return (await this.store.count()) > 0;
  }

  async add(name: string, role: string, password: string): Promise<Account> {
    const account = { name: valid(userNameSchema, name), role: valid(roleSchema, role) as Role, createdAt: this.now(), updatedAt: this.now() };
    const passwordHash = await hashPassword(valid(passwordSchema, password));
    if (!(await this.store.add({ ...account, passwordHash }))) throw new AccountError(`an account "${name}" exists already (change its password with users passwd)`);
    return account;
  }

  async remove(name: string): Promise<void> {
    if (!(await this.store.remove(name))) throw new AccountError(`no account "${name}"`);
  }

  async setPassword(name: string, password: string): Promise<void> {
    const hash = await hashPassword(valid(passwordSchema, password));
    if (!(await this.store.setPassword(name, hash, this.now()))) throw new AccountError(`no account "${name}"`);
  }

  async setRole(name: string, role: string): Promise<void> {
    if (!(await this.store.setRole(name, valid(roleSchema, role) as Role, this.now()))) throw new AccountError(`no account "${name}"`);
  }

  /** The account when the password is its own, else null; an unknown name costs the same time as a wrong password. */
  async verify(name: string, password: string): Promise<Account | null> {
    const stored = userNameSchema.safeParse(name).success ? await this.store.get(name) : null;
    const ok = await verifyPassword(password.slice(0, 1024), stored?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!stored || !ok) return null;
    return { name: stored.name, role: stored.role, createdAt: stored.createdAt, updatedAt: stored.updatedAt };
  }
}
