import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError, type CliCommand } from '../command';
import { parse } from '../options';
import { STORE_USAGE, storeOf, storeOptions } from '../storeOption';
import { openAccounts } from '../accountsOpen';
import { AccountError } from '../../accounts/accounts';
import { ROLE_DUTIES, ROLES, roleSchema } from '../../../shared/roles';
import { MIN_PASSWORD_LENGTH } from '../../accounts/names';

export const PASSWORD_ENV = 'MOTORTWIN_PASSWORD';

export const usersCommand: CliCommand = {
  name: 'users',
  usage: `motortwin users add NAME --role ROLE | list | remove NAME | passwd NAME | role NAME ROLE   [--data-dir DIR | --store URL] [--json]
  add NAME --role ROLE   a new account; its password is read from standard input (asked twice at a terminal,
                         else the first line) or from ${PASSWORD_ENV}, never from an argument
  list                   every account with its role
  remove NAME            remove an account (its open sessions on serve end within a minute)
  passwd NAME            a new password, read as for add
  role NAME ROLE         give an account another role
  roles (cumulative, each includes the ones before it):
${ROLES.map((r) => `    ${r.padEnd(11)}${ROLE_DUTIES[r]}`).join('\n')}
  passwords: at least ${MIN_PASSWORD_LENGTH} characters, kept as salted scrypt hashes
${STORE_USAGE}
  --json                 print JSON
While serve runs on a DuckDB file that file is its own: stop serve to change accounts there.`,
  async run(args, io) {
    refusePasswordArgument(args);
    const { values: v, positionals } = parse(args, { ...storeOptions, role: { type: 'string' }, json: { type: 'boolean' } }, true);
    const [sub, ...rest] = positionals;
    const want = { add: 1, list: 0, remove: 1, passwd: 1, role: 2 } as const;
    if (!sub || !Object.hasOwn(want, sub)) throw new UsageError('say add, list, remove, passwd or role');
    const n = want[sub as keyof typeof want];
    if (rest.length > n) throw new UsageError(`users ${sub} takes ${n === 0 ? 'no names' : n === 1 ? 'one user name' : 'a user name and a role'}; a password is never an argument (others on this machine can read arguments): pipe it in or set ${PASSWORD_ENV}`);
    if (rest.length < n) throw new UsageError(`users ${sub} needs ${n === 1 ? 'a user name' : 'a user name and a role'}`);
    if (sub === 'add' && !v.role) throw new UsageError(`users add needs --role (${ROLES.join(', ')})`);
    if (sub !== 'add' && v.role) throw new UsageError('--role goes with users add (users role NAME ROLE changes one)');
    const role = sub === 'add' ? v.role : sub === 'role' ? rest[1] : undefined;
    if (role !== undefined && !roleSchema.safeParse(role).success) throw new UsageError(`the role "${role}" is not one of ${ROLES.join(', ')}`);
    const spec = storeOf(v);
    // The password is read before the store is opened, so a missing one changes nothing.
    const password = sub === 'add' || sub === 'passwd' ? await readPassword() : null;
    const { accounts, close } = await openAccounts(spec);
    try {
      const [name] = rest;
      if (sub === 'list') {
        const list = await accounts.list();
        if (v.json) io.out(JSON.stringify(list, null, 2));
        else if (!list.length) io.out('no accounts: serve is open to this machine (or asks for its --api-token)');
        else for (const a of list) io.out(`${a.name.padEnd(24)} ${a.role.padEnd(11)} since ${new Date(a.createdAt).toISOString().slice(0, 10)}`);
      } else if (sub === 'add') {
        const a = await accounts.add(name, v.role!, password!);
        io.out(`added ${a.name} (${a.role})`);
      } else if (sub === 'remove') {
        await accounts.remove(name);
        io.out(`removed ${name}`);
      } else if (sub === 'passwd') {
        await accounts.setPassword(name, password!);
        io.out(`changed the password of ${name}`);
      } else {
        await accounts.setRole(name, rest[1]);
        io.out(`${name} is now ${rest[1]}`);
      }
      return 0;
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      io.err(`motortwin users ${sub}: ${e.message}`);
      return 1;
    } finally {
      await close();
    }
  },
};

function refusePasswordArgument(args: string[]): void {
  if (args.some((a) => /^--?(password|pass|pw|p)(=|$)/.test(a))) {
    throw new UsageError(`a password is never given as an argument (others on this machine can read the process list): pipe it on standard input or set ${PASSWORD_ENV}`);
  }
}

/** From the environment, else standard input: asked twice without echo at a terminal, else its first line. */
async function readPassword(): Promise<string> {
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) {
    const first = await ask('password: ');
    const again = await ask('again: ');
    if (first !== again) throw new UsageError('the two passwords differ');
    return first;
  }
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n') || text.length > 4096) break;
  }
  const line = text.split(/\r?\n/)[0];
  if (!line) throw new UsageError(`no password: pipe it on standard input (printf '%s\\n' "$PW" | motortwin users …) or set ${PASSWORD_ENV}`);
  return line;
}

function ask(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  // Nothing typed is echoed: the terminal output goes nowhere while the line is read.
  const silent = new Writable({ write: (_c, _e, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve) =>
    rl.once('line', (line) => {
      rl.close();
      process.stderr.write('\n');
      resolve(line);
    }),
  );
}
