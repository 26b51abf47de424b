import { describe, expect, it } from 'vitest';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './passwords';

// A cheap cost here: the format and the checks are what is tested, not scrypt's strength.
const cheap = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('keep their parameters and a salt of their own, and verify only the password they were made from', async () => {
    const a = await hashPassword('correct horse battery', cheap);
    const b = await hashPassword('correct horse battery', cheap);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies with the cost stored in the hash, so older hashes still work after the default changes', async () => {
    expect(await verifyPassword('pw-made-at-a-lower-cost', await hashPassword('pw-made-at-a-lower-cost', { N: 2048, r: 4, p: 1 }))).toBe(true);
  });

  it('refuses a damaged hash, absurd parameters, and the hash kept for unknown names', async () => {
    const good = await hashPassword('some password here', cheap);
    expect(await verifyPassword('some password here', good.slice(0, -4))).toBe(false);
    expect(await verifyPassword('some password here', good.replace('$1024$', '$1000$'))).toBe(false);
    expect(await verifyPassword('some password here', good.replace('$1024$', `$${2 ** 24}$`))).toBe(false);
    expect(await verifyPassword('some password here', 'plain text')).toBe(false);
    expect(await verifyPassword('', UNKNOWN_USER_HASH)).toBe(false);
  });
});
