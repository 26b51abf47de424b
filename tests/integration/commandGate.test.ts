import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../src/shared/commandsContract';
import { CommandStore } from '../../src/main/commands/commandStore';
import { startEngine, type Harness } from '../support/engineHarness';
import { watchCommands } from '../support/commandWatch';
import { startMosquitto, tempDir, waitFor } from '../support/tools';

// Issue 17, item 1: the gate runs in full at approval and again just before sending, against the limits and
// alarms of that moment. A proposal made while the world was fine is no licence once it is not.


const reading = (deviceId: string, temperature: number) => JSON.stringify({ device_id: deviceId, temperature, vibration: 0.01, rpm: 1480, timestamp: new Date().toISOString() });

describe('approval re-checks the world', () => {
  let h: Harness;
  let watch: Awaited<ReturnType<typeof watchCommands>>;
  beforeAll(async () => {
    h = await startEngine();
    watch = await watchCommands(h.brokerUrl, 'gate_01');
    await h.publisher.publishAsync('factory/gate_01/telemetry', reading('gate_01', 45), { qos: 1 });
    await waitFor('gate_01 reporting', () => h.engine.twins.get('gate_01')?.readings.temperature);
  });
  afterAll(async () => {
    await watch?.client.endAsync();
    await h?.close();
  });

  it('refuses a START approved after a critical alarm began, and sends nothing', async () => {
    const p = h.engine.commands.propose({ deviceId: 'gate_01', action: 'START', reason: 'restart after maintenance', issuer: { kind: 'agent', name: 'assistant' } });
    expect(p.status).toBe('pending_approval');
    await h.publisher.publishAsync('factory/gate_01/telemetry', reading('gate_01', 95), { qos: 1 });
    await waitFor('a critical OVERHEATING alarm', () => h.engine.health.alarms.activeFor('gate_01').some((a) => a.condition === 'OVERHEATING' && a.severity === 'critical'));

    expect(() => h.engine.commands.approve(p.id, 'ana', 'looks fine')).toThrow(/START is blocked while a critical alarm is active \(OVERHEATING\)/);
    expect(h.engine.commands.get(p.id)).toMatchObject({ status: 'refused', detail: expect.stringMatching(/^refused at approval: START is blocked/) });
    await new Promise((r) => setTimeout(r, 500));
    expect(watch.seen.filter((m) => m.id === p.id)).toEqual([]);
    const trail = (await h.engine.commands.auditTrail('gate_01', 50)).filter((a) => a.commandId === p.id);
    expect(trail.map((a) => a.kind)).toEqual(expect.arrayContaining(['command', 'refusal']));
    expect(trail.some((a) => a.kind === 'approval')).toBe(false);
  });

  it('refuses a REDUCE_LOAD approved after the limits forbade it, and sends nothing', async () => {
    const before = h.engine.commands.policy('gate_01');
    const p = h.engine.commands.propose({ deviceId: 'gate_01', action: 'REDUCE_LOAD', value: 40, reason: 'ease the load', issuer: { kind: 'rule', name: 'OVERHEATING' } });
    h.engine.commands.setPolicy('gate_01', { ...before, actions: { ...before.actions, REDUCE_LOAD: { allowed: false, min: 0, max: 50 } } }, 'admin');
    try {
      expect(() => h.engine.commands.approve(p.id, 'ana', '')).toThrow(/REDUCE_LOAD is not allowed on this motor/);
      expect(h.engine.commands.get(p.id)?.status).toBe('refused');
      await new Promise((r) => setTimeout(r, 500));
      expect(watch.seen.filter((m) => m.id === p.id)).toEqual([]);
    } finally {
      h.engine.commands.setPolicy('gate_01', before, 'admin');
    }
  });

  it('keeps a proposal waiting when only the edited value is out of range', async () => {
    await h.publisher.publishAsync('factory/gate_01/telemetry', reading('gate_01', 40), { qos: 1 });
    const p = h.engine.commands.propose({ deviceId: 'gate_01', action: 'SET_RATE', value: 5, reason: 'closer look', issuer: { kind: 'agent', name: 'assistant' } });
    expect(() => h.engine.commands.approve(p.id, 'ana', '', 50)).toThrow(/SET_RATE 50 is outside the allowed 1-10/);
    expect(h.engine.commands.get(p.id)?.status).toBe('pending_approval');
    h.engine.commands.reject(p.id, 'ana', 'not now');
  });
});

describe('the gate runs again just before sending', () => {
  it('an approved command left from before a restart is refused when the limits now forbid it', async () => {
    const mosq = await startMosquitto();
    const dataDir = tempDir();
    const url = `mqtt://127.0.0.1:${mosq.port}`;
    const first = await startEngine({ dataDir, broker: { mode: 'external', url } });
    let approved: CommandRecord;
    try {
      await first.publisher.publishAsync('factory/gate_02/telemetry', reading('gate_02', 45), { qos: 1 });
      await waitFor('gate_02 reporting', () => first.engine.twins.get('gate_02')?.readings.temperature);
      const policy = first.engine.commands.policy('gate_02');
      first.engine.commands.setPolicy('gate_02', { ...policy, actions: { ...policy.actions, SET_SPEED: { allowed: true, min: 100, max: 1200 } } }, 'admin');
      // What a crash between approval and sending leaves behind: an approved record that never went out.
      const now = Date.now();
      approved = {
        id: 'cmd-0123456789ab', deviceId: 'gate_02', action: 'SET_SPEED', value: 1500, issuer: { kind: 'agent', name: 'assistant' }, reason: 'faster',
        status: 'approved', detail: null, transport: null, createdAt: now, updatedAt: now, sentAt: null, expiresAt: now + 600_000, approvedBy: 'ana', overrideReason: null,
      };
      const store = new CommandStore(first.engine.db, (what, e) => {
        throw new Error(`${what}: ${e.message}`);
      });
      store.saveCommand(approved);
      await store.flush();
    } finally {
      await first.close();
    }
    const watch = await watchCommands(url, 'gate_02');
    const second = await startEngine({ dataDir, broker: { mode: 'external', url } });
    try {
      await waitFor('the stale approval refused', () => second.engine.commands.get(approved.id)?.status === 'refused');
      expect(second.engine.commands.get(approved.id)!.detail).toMatch(/refused before sending: SET_SPEED 1500 is outside the allowed 100-1200 rpm/);
      await new Promise((r) => setTimeout(r, 500));
      expect(watch.seen.filter((m) => m.id === approved.id)).toEqual([]);
    } finally {
      await watch.client.endAsync();
      await second.close();
      await mosq.stop();
    }
  });
});
