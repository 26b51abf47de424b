import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { AuthGate, type AuthGateOptions } from './auth';
import { LOCAL_USER } from '../../shared/roles';

const req = (authorization?: string, remoteAddress = '192.0.2.7') => ({ headers: authorization ? { authorization } : {}, socket: { remoteAddress } }) as unknown as IncomingMessage;
const quiet = (opts: Omit<AuthGateOptions, 'log'>) => AuthGate.create({ log: () => undefined, ...opts });

describe('AuthGate', () => {
  it('cannot be exposed without a token or an account', async () => {
    await expect(quiet({ token: null, exposed: true })).rejects.toThrow(/--api-token/);
    expect(await (await quiet({ token: null, exposed: false })).check(req())).toEqual({ ok: true, kind: 'open', principal: LOCAL_USER });
  });

  it('lifts the limit once the wrong tokens have left the window', async () => {
    let now = 1_000_000;
    const gate = await quiet({ token: 'the-right-token-123', exposed: true, maxFailures: 2, windowMs: 60_000, now: () => now });
    expect(await gate.check(req('Bearer a'))).toMatchObject({ status: 401 });
    now += 30_000;
    expect(await gate.check(req('Bearer b'))).toMatchObject({ status: 401 });
    expect(await gate.check(req('Bearer the-right-token-123'))).toMatchObject({ status: 429, retryAfterS: 30 });
    now += 30_001;
    // The first failure has aged out: one left in the window, under the limit.
    const token = { ok: true, kind: 'bearer', session: null, principal: { name: 'api-token', role: 'admin', kind: 'token' } };
    expect(await gate.check(req('Bearer the-right-token-123'))).toEqual(token);
    expect(await gate.check(req('Bearer the-right-token-123', '192.0.2.8'))).toEqual(token);
  });

  it('gives the token the role it was started with', async () => {
    const gate = await quiet({ token: 'the-right-token-123', tokenRole: 'viewer', exposed: true });
    expect(await gate.check(req('Bearer the-right-token-123'))).toMatchObject({ principal: { name: 'api-token', role: 'viewer' } });
  });
});

describe('browser sessions', () => {
  const form = (cookie?: string) => ({ headers: cookie ? { cookie } : {}, socket: { remoteAddress: '192.0.2.9' } }) as unknown as IncomingMessage;
  const open = async (gate: AuthGate) => {
    const r = await gate.login(form(), { token: 'the-right-token-123' });
    if (!r.ok) throw new Error(r.error);
    return r.cookie.split(';')[0];
  };

  it('end when idle too long and at their absolute age, whatever the activity', async () => {
    let now = 0;
    const gate = await quiet({ token: 'the-right-token-123', exposed: true, sessionIdleMs: 1000, sessionMaxMs: 5000, now: () => now });
    const ended: string[] = [];
    gate.onSessionEnded((id) => ended.push(id));
    const idle = await open(gate);
    now = 999;
    expect(await gate.check(form(idle))).toMatchObject({ ok: true, kind: 'session' });
    now = 1998;
    expect(await gate.check(form(idle))).toMatchObject({ ok: true });
    now = 3000;
    expect(await gate.check(form(idle))).toMatchObject({ ok: false, status: 401, error: expect.stringMatching(/session has ended/) });
    expect(ended).toHaveLength(1);

    const busy = await open(gate);
    for (now = 3000; now < 8000; now += 500) await gate.check(form(busy));
    expect(await gate.check(form(busy))).toMatchObject({ ok: false });
  });

  it('are listed without their secrets and revoked by their public id', async () => {
    const gate = await quiet({ token: 'the-right-token-123', exposed: true });
    const cookie = await open(gate);
    const [info] = await gate.list();
    expect(info).toMatchObject({ id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/), user: 'api-token', role: 'admin' });
    expect(JSON.stringify(await gate.list())).not.toContain(cookie.split('=')[1]);
    expect(await gate.revoke('nope')).toBe(false);
    expect(await gate.revoke(info.id)).toBe(true);
    expect(await gate.check(form(cookie))).toMatchObject({ ok: false });
  });
});
