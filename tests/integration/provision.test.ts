import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { methods } from '../../src/shared/contract';
import { handlers } from '../../src/main/rpc/handlers';
import { VirtualSerialBoard } from '../../src/main/sim/virtualSerialBoard';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, tempDir, waitFor } from '../support/tools';

// A board on USB: provisioned with CONFIG (secrets never shown), and console commands that move the motor
// pass the same gate as every other command.

describe('a board on the bench, over a virtual serial port', () => {
  let h: Harness;
  const board = new VirtualSerialBoard({ id: 'bench_03', rateHz: 10 });
  /** As the UI calls it: params checked by the contract, then the handler. */
  const call = async <M extends 'serial.provision' | 'serial.send' | 'serial.command' | 'serial.log'>(method: M, params: unknown) =>
    (handlers[method] as (e: unknown, p: unknown) => Promise<unknown>)(h.engine, methods[method].params.parse(params));

  beforeAll(async () => {
    requireTool('socat', 'socat');
    h = await startEngine();
    await board.plugIn(tempDir('motortwin-pty-'));
    await h.engine.devices.serial.open(board.hostPath, 115200);
    await waitFor('the board as a twin', () => h.engine.twins.get('bench_03')?.readings.temperature);
  });
  afterAll(async () => {
    await board.unplug();
    await h?.close();
  });

  it('provisions Wi-Fi and broker, and never shows the passwords', async () => {
    const log = (await call('serial.log', { path: board.hostPath, enabled: true })) as { file: string };
    const ack = (await call('serial.provision', {
      path: board.hostPath,
      settings: { wifi_ssid: 'plant-floor', wifi_password: 'correct horse battery', mqtt_url: 'mqtt://10.0.0.5:1883', mqtt_user: 'motors', mqtt_password: 'broker-secret-9' },
    })) as { status: string; detail: string };
    expect(ack.status).toBe('applied');
    expect(ack.detail).toMatch(/wifi_password \(hidden\)/);
    expect(board.settings).toMatchObject({ wifi_ssid: 'plant-floor', wifi_password: 'correct horse battery', mqtt_password: 'broker-secret-9' });
    const shown = h.engine.devices.serial.board(board.hostPath)!.console.since(-1, 100_000).map((l) => l.text).join('\n');
    await call('serial.log', { path: board.hostPath, enabled: false });
    const logged = readFileSync(log.file, 'utf8');
    for (const text of [shown, logged, ack.detail]) {
      expect(text).not.toMatch(/correct horse battery|broker-secret-9/);
    }
    expect(shown).toMatch(/"wifi_password":"<set>"/);
  });

  it('refuses bad settings before anything is sent', async () => {
    expect(() => methods['serial.provision'].params.parse({ path: board.hostPath, settings: { mqtt_url: 'mqtt://u:p@10.0.0.5' } })).toThrow(/without a user or password/);
    await expect(call('serial.send', { path: board.hostPath, line: '{"action":"CONFIG","wifi_password":"visible-secret"}' })).rejects.toThrow(/use Provision/);
  });

  it('sends console commands that move the motor through the limits and the audit trail', async () => {
    await expect(call('serial.send', { path: board.hostPath, line: '{"action":"STOP"}' })).rejects.toThrow(/moves the motor: send it as a command/);
    // What another parser may read as a command though JSON.parse reads it otherwise, or not at all.
    for (const line of ['{"action":"START"} trailing', '{"action":"START","action":"IDENTIFY"}', '{"type":"command","action":"set_speed","value":3000}', '{"action":"IDENTIFY","x":"\\u0053TART"}']) {
      await expect(call('serial.send', { path: board.hostPath, line }), line).rejects.toThrow(/moves the motor|escapes/);
    }
    expect(h.engine.devices.serial.board(board.hostPath)!.console.since(-1, 100_000).some((l) => l.dir === 'tx' && /trailing|"IDENTIFY"}|set_speed/.test(l.text))).toBe(false);
    await expect(call('serial.command', { path: board.hostPath, command: { action: 'REDUCE_LOAD', value: 90 } })).rejects.toThrow(/outside the allowed 0-50 %/);
    const sent = (await call('serial.command', { path: board.hostPath, command: { action: 'STOP' } })) as { id: string };
    await waitFor('applied', () => h.engine.commands.get(sent.id)?.status === 'applied');
    expect(h.engine.commands.get(sent.id)).toMatchObject({ issuer: { kind: 'person', name: 'serial console' }, transport: 'serial' });
    expect(board.model.running).toBe(false);
  });
});
