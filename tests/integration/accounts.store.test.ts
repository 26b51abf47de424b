import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MotorDatabase } from '../../src/main/store/database';
import { Accounts } from '../../src/main/accounts/accounts';
import { DuckAccountStore } from '../../src/main/accounts/duckAccountStore';
import { PgAccountStore } from '../../src/main/accounts/pgAccountStore';
import { PgStore } from '../../src/main/store/postgres/pgStore';
import type { AccountStore } from '../../src/main/accounts/accountStore';
import type { SessionStore } from '../../src/main/accounts/sessionStore';
import { DuckSessionStore } from '../../src/main/accounts/duckSessionStore';
import { PgSessionStore } from '../../src/main/accounts/pgSessionStore';
import { AuthGate } from '../../src/main/server/auth';
import type { IncomingMessage } from 'node:http';
import { startPostgres, type Postgres } from '../support/postgres';
import { tempDir } from '../support/tools';
import { runCli } from '../support/cli';

// One contract for the account store, run against both adapters: a real DuckDB file and a real PostgreSQL.
interface Opened {
  store: () => AccountStore;
  reopen: () => Promise<AccountStore>;
  sessions: () => SessionStore;
  /** The sessions as a second process sees them (the standby of a pair, or serve after a restart). */
  otherSessions: () => Promise<SessionStore>;
  close: () => Promise<void>;
}

const browser = (cookie?: string) => ({ headers: cookie ? { cookie } : {}, socket: { remoteAddress: '192.0.2.9' } }) as unknown as IncomingMessage;

function contract(name: string, open: () => Promise<Opened>) {
  describe(`${name} account store`, () => {
    let s: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      s = await open();
    }, 120_000);
    afterAll(async () => s?.close());

    it('adds, finds, lists, changes and removes accounts, and keeps them across a reopen', async () => {
      const accounts = new Accounts(s.store());
      expect(await accounts.exist()).toBe(false);
      await accounts.add('ana', 'approver', 'ana-password-1');
      await accounts.add('bo', 'viewer', 'bo-password-12');
      await expect(accounts.add('ana', 'admin', 'other-password')).rejects.toThrow(/exists already/);
      expect((await accounts.list()).map((a) => [a.name, a.role])).toEqual([
        ['ana', 'approver'],
        ['bo', 'viewer'],
      ]);
      expect(await accounts.verify('ana', 'ana-password-1')).toMatchObject({ name: 'ana', role: 'approver' });
      expect(await accounts.verify('ana', 'bo-password-12')).toBeNull();
      expect(await accounts.verify('nobody', 'ana-password-1')).toBeNull();
      await accounts.setPassword('bo', 'bo-new-password');
      expect(await accounts.verify('bo', 'bo-password-12')).toBeNull();
      expect(await accounts.verify('bo', 'bo-new-password')).toMatchObject({ name: 'bo' });
      await accounts.setRole('bo', 'technician');
      await accounts.remove('ana');
      await expect(accounts.remove('ana')).rejects.toThrow(/no account "ana"/);
      await expect(accounts.setPassword('ghost', 'whatever-password')).rejects.toThrow(/no account/);
      const again = new Accounts(await s.reopen());
      expect((await again.list()).map((a) => [a.name, a.role])).toEqual([['bo', 'technician']]);
      const stored = await (await s.reopen()).get('bo');
      // Only the hash is kept, with its salt and cost.
      expect(stored?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(stored?.passwordHash).not.toContain('bo-new-password');
    });

    it('refuses bad names, roles and passwords with the reason, storing nothing', async () => {
      const accounts = new Accounts(s.store());
      const before = (await accounts.list()).length;
      await expect(accounts.add('', 'viewer', 'long-enough-pw')).rejects.toThrow(/user name is 1-64/);
      await expect(accounts.add("x'; DROP TABLE accounts; --", 'viewer', 'long-enough-pw')).rejects.toThrow(/user name/);
      await expect(accounts.add('cy', 'boss', 'long-enough-pw')).rejects.toThrow(/role is one of viewer, technician, approver, admin/);
      await expect(accounts.add('cy', 'viewer', 'short')).rejects.toThrow(/at least 10 characters/);
      expect((await accounts.list()).length).toBe(before);
    });

    it('keeps login sessions where a second instance finds them: a logout, a revoke or a removed account holds on both', async () => {
      const accounts = new Accounts(s.store());
      await accounts.add('eve', 'viewer', 'eve-password-1');
      let now = Date.now();
      const gate = async (sessions: SessionStore) => AuthGate.create({ token: null, accounts, sessions, exposed: true, log: () => undefined, now: () => now });
      const active = await gate(s.sessions());
      const standby = await gate(await s.otherSessions());

      const login = await active.login(browser(), { username: 'eve', password: 'eve-password-1' });
      if (!login.ok) throw new Error(login.error);
      const cookie = login.cookie.split(';')[0];
      // Only a hash of the secret is stored.
      expect(JSON.stringify(await s.sessions().list())).not.toContain(login.secret);
      expect(await standby.check(browser(cookie))).toMatchObject({ ok: true, kind: 'session', principal: { name: 'eve', role: 'viewer' }, session: { csrf: login.session.csrf } });

      // A role changed since the login applies on the instance that had never seen the session.
      await accounts.setRole('eve', 'approver');
      const fresh = await (await gate(await s.otherSessions())).check(browser(cookie));
      expect(fresh).toMatchObject({ ok: true, principal: { role: 'approver' } });

      // Logged out on the standby: the active instance refuses it once it checks again (at most 15 s).
      await standby.logout(browser(cookie));
      now += 16_000;
      expect(await active.check(browser(cookie))).toMatchObject({ ok: false, status: 401 });

      const second = await standby.login(browser(), { username: 'eve', password: 'eve-password-1' });
      if (!second.ok) throw new Error(second.error);
      const [listed] = (await active.list()).filter((x) => x.user === 'eve');
      expect(await active.revoke(listed.id)).toBe(true);
      now += 16_000;
      expect(await standby.check(browser(second.cookie.split(';')[0]))).toMatchObject({ ok: false });

      const third = await active.login(browser(), { username: 'eve', password: 'eve-password-1' });
      if (!third.ok) throw new Error(third.error);
      await accounts.remove('eve');
      expect(await (await gate(await s.otherSessions())).check(browser(third.cookie.split(';')[0]))).toMatchObject({ ok: false });
    });
  });
}

contract('DuckDB', async () => {
  const file = join(tempDir(), 'motortwin.duckdb');
  let db = await MotorDatabase.open(file);
  return {
    store: () => new DuckAccountStore(db),
    sessions: () => new DuckSessionStore(db),
    // One DuckDB file has one writer process: the other instance is serve after a restart, on the same file.
    otherSessions: async () => new DuckSessionStore(db),
    reopen: async () => {
      db.close();
      db = await MotorDatabase.open(file);
      return new DuckAccountStore(db);
    },
    close: async () => db.close(),
  };
});

let postgres: Postgres | undefined;
contract('PostgreSQL', async () => {
  postgres = await startPostgres();
  // The store's own opening runs its migrations (accounts are migration 3), as serve and `users` do.
  const stores: PgStore[] = [await PgStore.open(postgres.url)];
  const first = new PgAccountStore(stores[0].pool);
  const other = await PgStore.open(postgres.url);
  stores.push(other);
  return {
    store: () => first,
    sessions: () => new PgSessionStore(stores[0].pool),
    otherSessions: async () => new PgSessionStore(other.pool),
    reopen: async () => {
      const again = await PgStore.open(postgres!.url);
      stores.push(again);
      return new PgAccountStore(again.pool);
    },
    close: async () => {
      for (const s of stores) await s.close();
      postgres?.destroy();
    },
  };
});

describe('motortwin users on PostgreSQL (--store)', () => {
  let pgServer: Postgres;
  beforeAll(async () => {
    pgServer = await startPostgres('accounts_cli');
  }, 120_000);
  afterAll(() => pgServer?.destroy());

  it('adds and lists accounts in the database the URL names, and says clearly when it cannot reach one', async () => {
    const add = await runCli(['users', 'add', 'dana', '--role', 'admin', '--store', pgServer.url], 60_000, { input: 'dana-password-1\n' });
    expect(add.stderr).toBe('');
    expect([add.code, add.stdout.trim()]).toEqual([0, 'added dana (admin)']);
    const list = await runCli(['users', 'list', '--json', '--store', pgServer.url]);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'dana', role: 'admin' })]);
    const down = await runCli(['users', 'list', '--store', `postgres://motortwin:s3cret@127.0.0.1:${pgServer.port + 1}/nope`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot open the PostgreSQL history at 127\.0\.0\.1:\d+, database "nope" as "motortwin": .*nothing listens there/);
    expect(down.stderr).not.toContain('s3cret');
  }, 120_000);
});
