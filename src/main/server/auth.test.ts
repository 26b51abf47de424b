import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { AuthGate } from './auth';

const req = (authorization?: string, remoteAddress = '192.0.2.7') => ({ headers: authorization ? { authorization } : {}, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('AuthGate', () => {
  it('cannot be exposed without a token', () => {
    expect(() => new AuthGate({ token: null, exposed: true })).toThrow(/--api-token/);
    expect(new AuthGate({ token: null, exposed: false }).check(req())).toEqual({ ok: true });
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
    expect(gate.check(req('Bearer the-right-token-123'))).toEqual({ ok: true });
    expect(gate.check(req('Bearer the-right-token-123', '192.0.2.8'))).toEqual({ ok: true });
  });
});
