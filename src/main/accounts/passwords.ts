import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Passwords are kept as scrypt hashes with their own salt and parameters ("scrypt$N$r$p$salt$hash"), so a
// later change of cost still verifies the hashes made before it. scrypt is in Node itself: no native
// dependency to build for Electron.

const KEY_LENGTH = 64;
/** N = 2^15, r = 8, p = 1: 32 MiB and about a tenth of a second per check on a laptop core. */
const DEFAULT = { N: 2 ** 15, r: 8, p: 1 };

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string, cost = DEFAULT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** True when the password is the one the hash was made from; false for anything else, a damaged hash too. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A hash with absurd parameters (edited by hand) must not make one login eat the machine.
  if (N > 2 ** 20 || r > 32 || p > 16 || (N & (N - 1)) !== 0) return false;
  const expected = Buffer.from(m[5], 'base64');
  const key = await derive(password, Buffer.from(m[4], 'base64'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash no password matches, checked for unknown user names so they take as long as known ones. */
export const UNKNOWN_USER_HASH = `scrypt$${DEFAULT.N}$${DEFAULT.r}$${DEFAULT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
