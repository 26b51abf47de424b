import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { ChildProcess } from 'node:child_process';
import { servePage, type ServedPage } from '../support/browser';
import { startServe } from '../support/cli';
import { selfSignedCert, type TestCert } from '../support/selfSignedCert';
import { stopProcess, tempDir } from '../support/tools';

// The app as a client of a plant server, in Chromium: the laptop's `serve` (its own engine, on loopback)
// and a plant `serve` over HTTPS with its token. The engineer logs in on the Plant server page (a wrong
// token first), pushes a bench motor's readings twice, opens the plant server (the status bar names it),
// and comes back to this laptop.

const TOKEN = 'plant-browser-token-0123456789';
const BOARD = 'bench_motor_9';

describe('the app opens a plant server', () => {
  let cert: TestCert;
  let plant: { child: ChildProcess; url: string; mqttUrl: string };
  let laptop: ServedPage;

  beforeAll(async () => {
    cert = selfSignedCert();
    plant = await startServe(['--data-dir', tempDir('plant-'), '--no-sim', '--api-token', TOKEN, '--tls-cert', cert.certFile, '--tls-key', cert.keyFile]);
    laptop = await servePage('/#/server', {
      args: ['--no-sim'],
      // A board on the bench, heard by the laptop before the page opens: 40 readings at fixed times.
      async beforeOpen({ mqttPort }) {
        const board = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: `bench-${Math.random().toString(16).slice(2)}` });
        const t0 = Date.parse('2026-12-02T09:00:00Z');
        for (let i = 0; i < 40; i++) {
          await board.publishAsync(`factory/${BOARD}/telemetry`, JSON.stringify({ device_id: BOARD, temperature: 35 + i / 10, vibration: 0.01, rpm: 1490, timestamp: new Date(t0 + i * 1000).toISOString() }), { qos: 1 });
        }
        await board.endAsync();
      },
    });
  });
  afterAll(async () => {
    await laptop?.close();
    if (plant) await stopProcess(plant.child, 'SIGINT');
  });

  it('refuses a wrong token with the reason, logs in, pushes twice storing nothing the second time, and names the open server in the status bar', async () => {
    const { page } = laptop;
    await expect.poll(() => page.getByTestId('status-server').innerText()).toMatch(/This laptop/);
    await page.getByTestId('plant-url').fill(plant.url);
    await page.getByTestId('plant-password').fill('not-the-plant-token-at-all');
    await page.locator('summary').click();
    await page.getByTestId('plant-ca').fill(cert.cert);
    await page.getByTestId('plant-login-submit').click();
    await expect.poll(() => page.getByTestId('plant-error').innerText()).toMatch(/refused the login: wrong bearer token/);

    await page.getByTestId('plant-password').fill(TOKEN);
    await page.getByTestId('plant-login-submit').click();
    await expect.poll(() => page.getByTestId('plant-login-state').innerText()).toMatch(/Logged in to 127\.0\.0\.1:\d+ with its API token/);
    // The password does not stay in the form.
    expect(await page.getByTestId('plant-password').inputValue()).toBe('');

    await page.getByTestId(`plant-push-motor-${BOARD}`).check();
    await page.getByTestId('plant-push-submit').click();
    await expect.poll(() => page.getByTestId(`plant-push-result-${BOARD}`).innerText()).toMatch(/40\s+40\s+0/);
    await page.getByTestId('plant-push-submit').click();
    await expect.poll(() => page.getByTestId(`plant-push-result-${BOARD}`).innerText()).toMatch(/40\s+0\s+40/);

    // Open the plant server: the page loads again and every view is the plant's engine.
    const plantPort = new URL(plant.url).port;
    await page.getByTestId('plant-open-plant').click();
    await expect.poll(() => page.getByTestId('status-server').innerText(), { timeout: 30_000 }).toBe(`Plant server 127.0.0.1:${plantPort}`);
    await expect.poll(() => page.getByTestId('status-broker').first().innerText()).toContain(new URL(plant.mqttUrl).port);
    await page.getByTestId('nav-fleet').click();
    // The plant's fleet lists the motor whose readings were pushed: its history came from the laptop.
    await page.getByTestId(`twin-card-${BOARD}`).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/1 motor\b/);

    await page.getByTestId('nav-server').click();
    await page.getByTestId('plant-open-laptop').click();
    await expect.poll(() => page.getByTestId('status-server').innerText(), { timeout: 30_000 }).toBe('This laptop');
    await expect.poll(() => page.getByTestId('status-bar').innerText()).toMatch(/1 motor\b/);
    expect(laptop.errors).toEqual([]);
  });
});
