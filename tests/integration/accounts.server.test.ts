import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { startHttpServer, type RunningServer } from '../../src/main/server/httpServer';
import { Accounts } from '../../src/main/accounts/accounts';
import { DuckAccountStore } from '../../src/main/accounts/duckAccountStore';
import { DuckSessionStore } from '../../src/main/accounts/duckSessionStore';
import type { SecurityEvent } from '../../src/main/server/securityLog';
import type { CommandRecord } from '../../src/shared/commandsContract';
import { RpcError } from '../../src/shared/rpc/envelope';
import { connectWs } from '../support/wsClient';
import { waitFor } from '../support/tools';

// Issue 15, item 1: people, not a shared token. Real server over HTTP and WebSocket, real DuckDB.

const reading = (temperature: number) => JSON.stringify({ device_id: 'team_01', temperature, vibration: 0.01, rpm: 1480, timestamp: new Date().toISOString() });
const PEOPLE = { ana: ['approver', 'ana-password-1'], bo: ['viewer', 'bo-password-12'], tim: ['technician', 'tim-password-1'], ada: ['admin', 'ada-password-1'] } as const;
type Person = keyof typeof PEOPLE;

describe('two people on one server: a viewer and an approver', () => {
  let h: Harness;
  let server: RunningServer;
  const log: SecurityEvent[] = [];
  const logins = {} as Record<Person, { token: string; csrf: string; cookie: string }>;

  const call = (method: string, path: string, opts: { body?: unknown; token?: string; cookie?: string; csrf?: string; from?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(opts.csrf ? { 'x-motortwin-csrf': opts.csrf } : {}),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  const login = async (username: string, password: string) => call('POST', '/api/login', { body: { username, password } });
  const propose = () => h.engine.commands.propose({ deviceId: 'team_01', action: 'REDUCE_LOAD', value: 10, reason: 'energy peak', issuer: { kind: 'rule', name: 'peak shaving' } });

  beforeAll(async () => {
    h = await startEngine();
    await h.publisher.publishAsync('factory/team_01/telemetry', reading(45), { qos: 1 });
    await waitFor('team_01 reporting', () => h.engine.twins.get('team_01')?.readings.temperature);
    const accounts = new Accounts(new DuckAccountStore(h.engine.db));
    server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, accounts, sessions: new DuckSessionStore(h.engine.db), maxAuthFailures: 3, securityLog: (e) => log.push(e) });
    // Open to this machine until the first account exists; then every request needs a login, on loopback too.
    expect((await call('GET', '/api/twins')).status).toBe(200);
    for (const [name, [role, password]] of Object.entries(PEOPLE)) await accounts.add(name, role, password);
    await waitFor('logins required once accounts exist', async () => (await call('GET', '/api/twins')).status === 401);
    for (const name of Object.keys(PEOPLE) as Person[]) {
      const r = await login(name, PEOPLE[name][1]);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { token: string; csrf: string; user: { name: string; role: string } };
      expect(body.user).toEqual({ name, role: PEOPLE[name][0], kind: 'account' });
      logins[name] = { token: body.token, csrf: body.csrf, cookie: r.headers.get('set-cookie')!.split(';')[0] };
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('says who is logged in, and /api/health alone answers without a login, saying nothing more', async () => {
    const me = (await (await call('GET', '/api/session', { cookie: logins.bo.cookie })).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ required: true, accounts: true, via: 'session', user: { name: 'bo', role: 'viewer' }, csrf: logins.bo.csrf });
    const health = await call('GET', '/api/health');
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', login: 'required' }]);
    const page = await fetch(`${server.url}/login`);
    expect(await page.text()).toMatch(/name="username"[\s\S]*name="password"/);
  });

  it('keeps the sessions in the store: a second server on it (a restart, or the standby taking over) knows who is logged in', async () => {
    const accounts = new Accounts(new DuckAccountStore(h.engine.db));
    const next = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, accounts, sessions: new DuckSessionStore(h.engine.db), securityLog: () => undefined });
    try {
      const asAna = await fetch(`${next.url}/api/session`, { headers: { cookie: logins.ana.cookie } });
      expect(asAna.status).toBe(200);
      expect(await asAna.json()).toMatchObject({ via: 'session', user: { name: 'ana', role: 'approver' }, csrf: logins.ana.csrf });
      expect((await fetch(`${next.url}/api/twins`, { headers: { authorization: `Bearer ${logins.bo.token}` } })).status).toBe(200);
      expect((await fetch(`${next.url}/api/twins`, { headers: { authorization: 'Bearer not-a-session-of-anyone' } })).status).toBe(401);
    } finally {
      await next.close();
    }
  });

  it('refuses the viewer\'s approval (403 naming the role, over HTTP and WebSocket, logged); the approver\'s goes through, and the audit trail names them', async () => {
    const c = propose();
    expect(c.status).toBe('pending_approval');
    const refused = await call('POST', `/api/commands/${c.id}/approve`, { token: logins.bo.token, body: { operator: 'ana', comment: 'ok' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('approving a command needs the approver role; you are viewer');
    const boWs = await connectWs(server.url, { cookie: logins.bo.cookie });
    const wsRefusal = await boWs.client.call('commands.approve', { id: c.id, operator: 'ana' }).catch((e: RpcError) => e);
    boWs.close();
    expect(wsRefusal).toMatchObject({ code: 'forbidden', message: 'approving a command needs the approver role; you are viewer' });
    expect(h.engine.commands.get(c.id)?.status).toBe('pending_approval');
    expect(log.filter((e) => e.event === 'forbidden' && e.user === 'bo')).toHaveLength(2);

    // The approver names someone else in the field: the trail still says who was logged in.
    const anaWs = await connectWs(server.url, { cookie: logins.ana.cookie });
    const approved = (await anaWs.client.call('commands.approve', { id: c.id, operator: 'mallory', comment: 'peak confirmed' })) as CommandRecord;
    anaWs.close();
    expect(approved.status).toMatch(/approved|sent|applied|expired/);
    const trail = (await (await call('GET', '/api/commands?status=approved', { token: logins.bo.token })).json()) as unknown;
    expect(Array.isArray(trail)).toBe(true);
    const boWs2 = await connectWs(server.url, { authorization: `Bearer ${logins.bo.token}` });
    const audit = await boWs2.client.call('audit.list', { deviceId: 'team_01', limit: 200 });
    boWs2.close();
    const about = audit.filter((a) => a.commandId === c.id || (a.kind === 'denied' && a.text.includes('commands.approve')));
    expect(about.find((a) => a.kind === 'approval')).toMatchObject({ actor: 'ana', text: expect.stringMatching(/approved: peak confirmed/) });
    expect(about.filter((a) => a.kind === 'denied').map((a) => a.actor)).toEqual(['bo', 'bo']);
    expect(JSON.stringify(audit)).not.toContain('mallory');
  });

  it('lets an approver reject over HTTP under their own name; a typed operator does not count', async () => {
    const c = propose();
    const r = await call('POST', `/api/commands/${c.id}/reject`, { cookie: logins.ana.cookie, csrf: logins.ana.csrf, body: { operator: 'somebody else', comment: 'not now' } });
    expect(r.status).toBe(200);
    const trail = await h.engine.commands.auditTrail('team_01', 500);
    expect(trail.find((a) => a.commandId === c.id && a.kind === 'rejection')).toMatchObject({ actor: 'ana' });
  });

  it('refuses a technician changing limits or rules, and records the admin who does', async () => {
    const tim = await connectWs(server.url, { cookie: logins.tim.cookie });
    const policy = h.engine.commands.policy('team_01');
    await expect(tim.client.call('commands.setPolicy', { deviceId: 'team_01', policy })).rejects.toMatchObject({ code: 'forbidden', message: "changing a motor's command limits needs the admin role; you are technician" });
    await expect(tim.client.call('rules.set', { scope: 'motor', key: 'team_01', rules: [] })).rejects.toMatchObject({ message: 'changing alarm rules needs the admin role; you are technician' });
    tim.close();
    expect(log.filter((e) => e.event === 'forbidden' && e.user === 'tim').map((e) => e.reason)).toEqual([
      "commands.setPolicy: changing a motor's command limits needs the admin role; you are technician",
      'rules.set: changing alarm rules needs the admin role; you are technician',
    ]);
    const ada = await connectWs(server.url, { cookie: logins.ada.cookie });
    await ada.client.call('commands.setPolicy', { deviceId: 'team_01', policy, operator: 'not ada' });
    await ada.client.call('rules.set', { scope: 'motor', key: 'team_01', rules: [] });
    ada.close();
    const trail = await h.engine.commands.auditTrail('team_01', 500);
    expect(trail.find((a) => a.kind === 'policy')).toMatchObject({ actor: 'ada' });
    expect(trail.find((a) => a.kind === 'rules')).toMatchObject({ actor: 'ada', text: 'alarm rules of motor team_01 changed (0 rules)' });
  });

  it('records who acknowledged an alarm; a viewer may not', async () => {
    await h.publisher.publishAsync('factory/team_01/telemetry', reading(95), { qos: 1 });
    const alarm = await waitFor('an OVERHEATING alarm', () => h.engine.health.alarms.activeFor('team_01').find((a) => a.condition === 'OVERHEATING'));
    const bo = await connectWs(server.url, { cookie: logins.bo.cookie });
    await expect(bo.client.call('alarms.ack', { alarmId: alarm.id, comment: 'seen' })).rejects.toMatchObject({ message: 'acknowledging an alarm needs the technician role; you are viewer' });
    bo.close();
    const tim = await connectWs(server.url, { cookie: logins.tim.cookie });
    await tim.client.call('alarms.ack', { alarmId: alarm.id, comment: 'fan checked' });
    tim.close();
    const trail = await h.engine.commands.auditTrail('team_01', 500);
    expect(trail.find((a) => a.kind === 'alarm')).toMatchObject({ actor: 'tim', text: 'acknowledged alarm OVERHEATING (critical): fan checked' });
  });

  it('refuses a forged role or session in a cookie: the role lives on the server, not in the cookie', async () => {
    const forged = `${logins.bo.cookie}; role=admin; motortwin_role=admin; user=ada`;
    const c = propose();
    const r = await call('POST', `/api/commands/${c.id}/approve`, { cookie: forged, csrf: logins.bo.csrf, body: {} });
    expect([r.status, ((await r.json()) as { error: string }).error]).toEqual([403, 'approving a command needs the approver role; you are viewer']);
    for (const cookie of ['motortwin_session=admin', `motortwin_session=${Buffer.from('{"user":"ada","role":"admin"}').toString('base64url')}`]) {
      const made = await call('GET', '/api/twins', { cookie });
      expect([made.status, ((await made.json()) as { error: string }).error]).toEqual([401, expect.stringMatching(/session has ended/)]);
    }
    expect(h.engine.commands.get(c.id)?.status).toBe('pending_approval');
  });

  it('ends a bearer session at logout', async () => {
    const r = await login('tim', PEOPLE.tim[1]);
    const { token } = (await r.json()) as { token: string };
    expect((await call('GET', '/api/twins', { token })).status).toBe(200);
    expect((await call('POST', '/api/logout', { token, body: {} })).status).toBe(200);
    const after = await call('GET', '/api/twins', { token });
    expect([after.status, ((await after.json()) as { error: string }).error]).toEqual([401, expect.stringMatching(/ended session/)]);
  });

  it('locks an address out after wrong passwords, logging each', async () => {
    // The ended bearer above counted as a wrong one: this address has 3 - prior tries left in the minute.
    const prior = log.filter((e) => e.event === 'login_failed').length;
    expect(prior).toBe(1);
    for (let i = prior; i < 3; i++) {
      const r = await login('ana', `wrong-password-${i}`);
      expect([r.status, ((await r.json()) as { error: string }).error]).toEqual([401, 'wrong user name or password']);
    }
    const locked = await login('ana', PEOPLE.ana[1]);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(log.filter((e) => e.event === 'login_failed' && e.user === 'ana')).toHaveLength(2);
    expect(log.some((e) => e.event === 'locked_out')).toBe(true);
    expect(JSON.stringify(log)).not.toMatch(/wrong-password|ana-password/);
    // Sessions already open are not locked out.
    expect((await call('GET', '/api/twins', { token: logins.tim.token })).status).toBe(200);
  });

  it('the login form refused keeps the user name typed (escaped), never the password', async () => {
    const r = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ username: 'ana"><b>', password: 'not-her-password-9' }).toString(),
    });
    const html = await r.text();
    expect(r.status).toBe(429);
    expect(html).toContain('value="ana&#34;&#62;&#60;b&#62;"');
    expect(html).not.toContain('not-her-password-9');
  });
});

describe('sessions of people who logged in', () => {
  it('end when idle too long: the next request is refused with the reason', async () => {
    const h = await startEngine();
    const accounts = new Accounts(new DuckAccountStore(h.engine.db));
    await accounts.add('ana', 'approver', 'ana-password-1');
    const server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, accounts, sessionIdleMs: 1500, securityLog: () => undefined });
    try {
      const r = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: 'ana-password-1' }) });
      const cookie = r.headers.get('set-cookie')!.split(';')[0];
      expect((await fetch(`${server.url}/api/twins`, { headers: { cookie } })).status).toBe(200);
      // Asked less often than the idle limit, so the asking does not keep it alive.
      const ended = await waitFor(
        'the idle session to end',
        async () => {
          const again = await fetch(`${server.url}/api/twins`, { headers: { cookie } });
          return again.status === 401 ? ((await again.json()) as { error: string }).error : null;
        },
        30_000,
        2_000,
      );
      expect(ended).toMatch(/your session has ended \(expired or logged out\)/);
    } finally {
      await server.close();
      await h.close();
    }
  }, 60_000);

  it('a script logs in with the API token as an account of its own, with the role it was given', async () => {
    const h = await startEngine();
    const TOKEN = 'script-token-0123456789';
    const server = await startHttpServer(h.engine, { host: '127.0.0.1', port: 0, uiDir: null, apiToken: TOKEN, apiTokenRole: 'technician', securityLog: () => undefined });
    try {
      await h.publisher.publishAsync('factory/tok_01/telemetry', reading(45).replace('team_01', 'tok_01'), { qos: 1 });
      await waitFor('tok_01 reporting', () => h.engine.twins.get('tok_01'));
      const c = h.engine.commands.propose({ deviceId: 'tok_01', action: 'REDUCE_LOAD', value: 5, reason: 'x', issuer: { kind: 'rule', name: 'r' } });
      const r = await fetch(`${server.url}/api/commands/${c.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
      expect([r.status, ((await r.json()) as { error: string }).error]).toEqual([403, 'approving a command needs the approver role; you are technician']);
      const me = (await (await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { user: unknown };
      expect(me.user).toEqual({ name: 'api-token', role: 'technician', kind: 'token' });
    } finally {
      await server.close();
      await h.close();
    }
  }, 60_000);
});
