import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { HostCheck, requireJson } from './access';

const req = (headers: Record<string, string>, method = 'GET') => ({ method, headers }) as unknown as IncomingMessage;

describe('HostCheck', () => {
  const loopback = new HostCheck({ bindHost: '127.0.0.1', port: 8787, publicHosts: [] });

  it('answers to its own names at its own port only', () => {
    for (const host of ['127.0.0.1:8787', 'localhost:8787', '[::1]:8787', 'LOCALHOST:8787']) expect(loopback.check(req({ host }))).toBeNull();
    for (const host of ['rebind.example:8787', '127.0.0.1:9999', '127.0.0.1', 'localhost.evil.example:8787', '127.0.0.1:8787@evil', '']) {
      expect(loopback.check(req({ host })), host).toMatchObject({ status: expect.any(Number) });
    }
  });

  it('answers to --public-host names, with or without a port', () => {
    const named = new HostCheck({ bindHost: '0.0.0.0', port: 8787, publicHosts: ['motors.plant.example', 'proxy.plant.example:443'] });
    expect(named.check(req({ host: 'motors.plant.example' }))).toBeNull();
    expect(named.check(req({ host: 'proxy.plant.example:443' }))).toBeNull();
    expect(named.check(req({ host: 'proxy.plant.example:444' }))).not.toBeNull();
    expect(() => new HostCheck({ bindHost: '127.0.0.1', port: 1, publicHosts: ['a b'] })).toThrow(/--public-host "a b"/);
  });

  it('refuses changes from another origin or another site, and lets reads through', () => {
    const host = '127.0.0.1:8787';
    expect(loopback.check(req({ host, origin: 'http://127.0.0.1:8787' }, 'POST'))).toBeNull();
    expect(loopback.check(req({ host, origin: 'http://127.0.0.1:3000' }, 'POST'))).toMatchObject({ status: 403 });
    expect(loopback.check(req({ host, origin: 'null' }, 'POST'))).toMatchObject({ status: 403 });
    expect(loopback.check(req({ host, 'sec-fetch-site': 'same-site' }, 'POST'))).toMatchObject({ status: 403 });
    expect(loopback.check(req({ host, origin: 'http://127.0.0.1:3000', upgrade: 'websocket' }))).toMatchObject({ status: 403 });
    expect(loopback.check(req({ host, origin: 'http://127.0.0.1:3000' }))).toBeNull();
  });
});

describe('requireJson', () => {
  it('takes application/json only', () => {
    expect(requireJson(req({ 'content-type': 'application/json; charset=utf-8' }))).toBeNull();
    expect(requireJson(req({ 'content-type': 'text/plain' }))).toMatchObject({ status: 415, error: expect.stringMatching(/not text\/plain/) });
    expect(requireJson(req({}))).toMatchObject({ status: 415 });
  });
});
