import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { startServe } from '../support/cli';
import { stopProcess, tempDir } from '../support/tools';

// Issue 17 in a real browser: a web page on another local port tries what the probe did (a no-cors POST with
// a text/plain JSON body, a form, a WebSocket), and an engineer logs in with the token, sees the sessions,
// and logs out.

const TOKEN = 'browser-token-0123456789abcdef';

describe('the server against pages of other origins, and browser sessions', () => {
  let serve: Awaited<ReturnType<typeof startServe>>;
  let browser: Browser;
  let evil: Server;
  let evilUrl: string;
  let watcher: MqttClient;
  const seen: string[] = [];

  beforeAll(async () => {
    serve = await startServe(['--data-dir', tempDir(), '--api-token', TOKEN]);
    watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, { clientId: `watch-${Math.random().toString(16).slice(2)}` });
    watcher.on('message', (t, p) => seen.push(`${t} ${p.toString()}`));
    await watcher.subscribeAsync('factory/+/commands', { qos: 1 });
    // The attacker's page, on another port of this machine: same site to the browser, another origin.
    evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title><p>hello</p>'));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    evilUrl = `http://127.0.0.1:${(evil.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await watcher?.endAsync();
    evil?.close();
    if (serve) await stopProcess(serve.child, 'SIGINT');
  });

  it('logs in with the token, lists the session, and logs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(serve.url);
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    await page.getByLabel('API token').fill('wrong-token-but-long-enough');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/wrong token/);
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('status-broker').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-sessions').click();
    await expect.poll(() => page.getByTestId('session-row').allInnerTexts()).toEqual([expect.stringMatching(/this browser/)]);

    // The same browser's session makes the API refuse a change without its CSRF token, and accept one with it.
    const refused = await page.evaluate(async () => (await fetch('/api/twins/motor_01/commands', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"IDENTIFY","reason":"x"}' })).status);
    expect(refused).toBe(403);

    await page.getByTestId('logout').click();
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    await page.goto(serve.url);
    await expect.poll(() => page.url()).toMatch(/\/login$/);
    await context.close();
  });

  it("refuses a logged-in engineer's browser when another page asks it to command", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${serve.url}/login`);
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('status-broker').waitFor({ timeout: 30_000 });

    const attacker = await context.newPage();
    await attacker.goto(evilUrl);
    const outcome = await attacker.evaluate(async (target) => {
      const tried: string[] = [];
      try {
        await fetch(`${target}/api/twins/motor_01/commands`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"action":"IDENTIFY","reason":"x"}' });
        await fetch(`${target}/api/twins/motor_01/commands`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"action":"STOP","reason":"x","issuer":"plant manager"}' });
        tried.push('fetch sent');
      } catch (e) {
        tried.push(`fetch: ${(e as Error).message}`);
      }
      const opened = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${target.replace('http', 'ws')}/ws`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
      tried.push(`ws ${opened}`);
      return tried;
    }, serve.url);
    expect(outcome).toContain('ws refused');
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toEqual([]);
    const pending = await fetch(`${serve.url}/api/commands?status=pending_approval`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await pending.json()).toEqual([]);
    await context.close();
  });

  it('refuses the same page against an open loopback server (no token), where the probe got IDENTIFY through', async () => {
    const open = await startServe(['--data-dir', tempDir()]);
    const openSeen: string[] = [];
    const openWatcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${open.mqttPort}`, { clientId: `watch-${Math.random().toString(16).slice(2)}` });
    openWatcher.on('message', (t, p) => openSeen.push(`${t} ${p.toString()}`));
    await openWatcher.subscribeAsync('factory/+/commands', { qos: 1 });
    const context = await browser.newContext();
    try {
      const attacker = await context.newPage();
      await attacker.goto(evilUrl);
      await attacker.evaluate(async (target) => {
        const post = (body: string) => fetch(`${target}/api/twins/motor_01/commands`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
        await post('{"action":"IDENTIFY","reason":"x"}');
        await post('{"action":"STOP","reason":"x","issuer":"plant manager"}');
      }, open.url);
      await new Promise((r) => setTimeout(r, 1000));
      expect(openSeen).toEqual([]);
      expect(await (await fetch(`${open.url}/api/commands?status=pending_approval`)).json()).toEqual([]);
    } finally {
      await context.close();
      await openWatcher.endAsync();
      await stopProcess(open.child, 'SIGINT');
    }
  });
});
