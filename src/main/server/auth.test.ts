import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { AuthGate } from './auth';

const req = (authorization?: string, remoteAddress = '192.0.2.7') => ({ headers: authorization ? { authorization } : {}, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('AuthGate', () => {
  it('cannot be exposed without a token', () => {
    expect(() => new AuthGate({ token: null, exposed: true })).toThrow(/--api-token/);
    expect(new AuthGate({ token: null, exposed: false }).check(req())).toEqual({ ok: true, kind: 'open' });
  });

  it('lifts the limit once the wrong tokens have left the window', () => {
    let now = 1_000_000;
    const gate = new AuthGate({ token: 'the-right-token-123', exposed: true, maxFailures: 2, windowMs: 60_000, now: () => now });
    expect(gate.check(req('Bearer a'))).toMatchObject({ status: 401 });
    now += 30_000;
    expect(gate.check(req('Bearer b'))).toMatchObject({ status: 401 });
    expect(gate.check(req('Bearer the-right-token-123'))).toMatchObject({ status: 429, retryAfterS: 30 });
    now += 30_001;
    // The first failure has aged out: one left in the window, under the limit.
    expect(gate.check(req('Bearer the-right-token-123'))).toEqual({ ok: true, kind: 'bearer' });
    expect(gate.check(req('Bearer the-right-token-123', '192.0.2.8'))).toEqual({ ok: true, kind: 'bearer' });
  });
});

describe('browser sessions', () => {
  const form = (cookie?: string) => ({ headers: cookie ? { cookie } : {}, socket: { remoteAddress: '192.0.2.9' } }) as unknown as IncomingMessage;
  const open = (gate: AuthGate) => {
    const r = gate.login(form(), 'the-right-token-123');
    if (!r.ok) throw new Error(r.error);
    return r.cookie.split(';')[0];
  };

  it('end when idle too long and at their absolute age, whatever the activity', () => {
    let now = 0;
    const gate = new AuthGate({ token: 'the-right-token-123', exposed: true, sessionIdleMs: 1000, sessionMaxMs: 5000, now: () => now });
    const ended: string[] = [];
    gate.onSessionEnded((id) => ended.push(id));
    const idle = open(gate);
    now = 999;
    expect(gate.check(form(idle))).toMatchObject({ ok: true, kind: 'session' });
    now = 1998;
    expect(gate.check(form(idle))).toMatchObject({ ok: true });
    now = 3000;
    expect(gate.check(form(idle))).toMatchObject({ ok: false, status: 401, error: expect.stringMatching(/session has ended/) });
    expect(ended).toHaveLength(1);

    const busy = open(gate);
    for (now = 3000; now < 8000; now += 500) gate.check(form(busy));
    expect(gate.check(form(busy))).toMatchObject({ ok: false });
  });

  it('are listed without their secrets and revoked by their public id', () => {
    const gate = new AuthGate({ token: 'the-right-token-123', exposed: true });
    const cookie = open(gate);
    const [info] = gate.list();
    expect(info.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(gate.list())).not.toContain(cookie.split('=')[1]);
    expect(gate.revoke('nope')).toBe(false);
    expect(gate.revoke(info.id)).toBe(true);
    expect(gate.check(form(cookie))).toMatchObject({ ok: false });
  });
});
