import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { servePage, type ServedPage } from '../support/browser';
import { relayUnit, startTcpSim, vfdUnit, type SimUnit, type TcpSim } from '../support/modbusSim';

// One motor, three sources, in Chromium against `motortwin serve`: its relay from --modbus, its drive added
// on the Boards page's Modbus tab after a test read, its board's vibration over MQTT; the motor page shows
// current, speed and thermal capacity beside the vibration.

describe('Modbus drives and relays, in the browser', () => {
  let sim: TcpSim;
  let served: ServedPage;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    sim = await startTcpSim(new Map<number, SimUnit>([[1, vfdUnit()], [2, relayUnit()]]));
    served = await servePage('/#/boards/modbus', { args: ['--no-sim', '--modbus', `motor_e2e@tcp://127.0.0.1:${sim.port}?unit=2&profile=generic-motor-protection-relay&interval=500`] });
    ({ page, errors } = served);
  });
  afterAll(async () => {
    await served?.close();
    await sim?.close();
  });

  it('lists the relay started with --modbus, online', async () => {
    const row = page.locator('[data-testid="modbus-row"]').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('online');
    expect(await row.innerText()).toMatch(/generic-motor-protection-relay[\s\S]*unit 2/);
  });

  it('test-reads a drive, showing raw and scaled values, then adds it', async () => {
    await page.getByTestId('modbus-id').fill('motor_e2e');
    await page.getByTestId('modbus-host').fill('127.0.0.1');
    await page.getByTestId('modbus-port').fill(String(sim.port));
    await page.getByTestId('modbus-unit').fill('1');
    await page.getByTestId('modbus-profile').fill('generic-vfd');
    await page.getByTestId('modbus-test-read').click();
    const current = page.locator('[data-testid="modbus-test-values"] [data-reading="current"]');
    await expect.poll(() => current.innerText(), { timeout: 10_000 }).toMatch(/1234[\s\S]*12\.34 A/);
    expect(await page.getByTestId('modbus-test-summary').innerText()).toMatch(/generic-vfd: 12 of 12 registers/);
    await page.getByTestId('modbus-add-button').click();
    await expect.poll(() => page.locator('[data-testid="modbus-row"][data-state="online"]').count(), { timeout: 15_000 }).toBe(2);
  });

  it('says what is wrong with a bad device before adding it', async () => {
    await page.getByTestId('modbus-id').fill('motor_e2e');
    await page.getByTestId('modbus-test-read').click();
    await expect.poll(() => page.getByTestId('modbus-error').innerText()).toMatch(/host is required/);
    await page.getByTestId('modbus-host').fill('127.0.0.1');
    await page.getByTestId('modbus-port').fill(String(sim.port));
    await page.getByTestId('modbus-profile').fill('no-such-profile');
    await page.getByTestId('modbus-test-read').click();
    await expect.poll(() => page.getByTestId('modbus-error').innerText()).toMatch(/profile no-such-profile: cannot read .*ENOENT/);
  });

  it("shows the drive's current and speed and the relay's thermal capacity beside the board's vibration", async () => {
    const board = await mqtt.connectAsync(`mqtt://127.0.0.1:${served.mqttPort}`, { clientId: 'board-motor_e2e' });
    try {
      await board.publishAsync('factory/motor_e2e/telemetry', JSON.stringify({ device_id: 'motor_e2e', temperature: 48.2, vibration: 0.021 }), { qos: 1 });
    } finally {
      await board.endAsync();
    }
    await page.goto(`${served.url}/#/motor/motor_e2e`);
    const tile = (name: string) => page.getByTestId(`tile-${name}`).innerText();
    await expect.poll(() => tile('vibration'), { timeout: 15_000 }).toMatch(/0\.021/);
    await expect.poll(() => tile('rpm'), { timeout: 15_000 }).toMatch(/1480/);
    await expect.poll(() => tile('current')).toMatch(/12\.\d/);
    await expect.poll(() => tile('thermal_capacity')).toMatch(/Thermal capacity used[\s\S]*42[\s\S]*%/);
    await expect.poll(() => tile('last_trip_cause')).toMatch(/thermal overload/);
    expect(errors).toEqual([]);
  });
});
