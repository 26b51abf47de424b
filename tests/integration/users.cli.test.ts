import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { tempDir } from '../support/tools';
import { MotorDatabase } from '../../src/main/store/database';
import { DuckAccountStore } from '../../src/main/accounts/duckAccountStore';

// `motortwin users` on a DuckDB data folder: the password comes from standard input or MOTORTWIN_PASSWORD,
// never from an argument, and only its scrypt hash is stored.

describe('motortwin users', () => {
  it('reads the password from standard input and from the environment, refuses one given as an argument, and stores only a hash', async () => {
    const dir = tempDir();
    const fromStdin = await runCli(['users', 'add', 'ana', '--role', 'approver', '--data-dir', dir], 60_000, { input: 'ana-stdin-password\n' });
    expect([fromStdin.code, fromStdin.stdout.trim()]).toEqual([0, 'added ana (approver)']);
    const fromEnv = await runCli(['users', 'add', 'bo', '--role', 'viewer', '--data-dir', dir], 60_000, { env: { MOTORTWIN_PASSWORD: 'bo-env-password' } });
    expect([fromEnv.code, fromEnv.stdout.trim()]).toEqual([0, 'added bo (viewer)']);

    const asOption = await runCli(['users', 'add', 'cy', '--role', 'viewer', '--password', 'cy-arg-password', '--data-dir', dir]);
    expect(asOption.code).toBe(2);
    expect(asOption.stderr).toMatch(/a password is never given as an argument/);
    const asPositional = await runCli(['users', 'passwd', 'ana', 'ana-arg-password', '--data-dir', dir]);
    expect(asPositional.code).toBe(2);
    expect(asPositional.stderr).toMatch(/a password is never an argument/);
    const none = await runCli(['users', 'add', 'cy', '--role', 'viewer', '--data-dir', dir], 60_000, { input: '' });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/no password: pipe it on standard input .* or set MOTORTWIN_PASSWORD/)]);

    const list = await runCli(['users', 'list', '--json', '--data-dir', dir]);
    expect((JSON.parse(list.stdout) as Array<{ name: string; role: string }>).map((a) => [a.name, a.role])).toEqual([
      ['ana', 'approver'],
      ['bo', 'viewer'],
    ]);
    const db = await MotorDatabase.open(join(dir, 'motortwin.duckdb'));
    try {
      const store = new DuckAccountStore(db);
      expect((await store.get('ana'))?.passwordHash).toMatch(/^scrypt\$/);
      expect(JSON.stringify(await db.query('SELECT * FROM accounts'))).not.toMatch(/stdin-password|env-password/);
    } finally {
      db.close();
    }
  }, 240_000);
});
