import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { connectWs } from '../support/wsClient';
import { tempDir, waitFor } from '../support/tools';
import { SimulatedMotor } from '../../src/main/sim/simulatedMotor';
import type { Alarm, WaveformAnalysis } from '../../src/shared/healthContract';

// Rules, alarms and waveform diagnosis in a running engine: embedded broker, simulated motors publishing over
// MQTT, a real DuckDB file, the contract over a WebSocket, and a restart in the middle.
describe('motor health in the running engine', () => {
  const dataDir = tempDir();
  let h: Harness;
  afterAll(async () => h?.close());

  const open = async () => {
    h = await startEngine({ dataDir, http: true });
    return connectWs(h.server!.url);
  };
  const alarmOf = (list: Alarm[], condition: string) => list.find((a) => a.motorId === 'motor_01' && a.condition === condition);

  it('raises an alarm from a per-motor rule, takes an acknowledgement with a comment, clears it, stores every transition', async () => {
    const { client, close } = await open();
    await h.engine.addSimulatedMotor('motor_01', 'unbalance', 5);
    await waitFor('motor_01', () => h.engine.twins.get('motor_01'));
    // A tighter mechanical-fault level for this motor (unbalance runs at about 0.048 g).
    const { rules } = await client.call('rules.get', { id: 'motor_01' });
    const mech = rules.find((r) => r.id === 'mechanical_fault')!;
    const { origin: _o, active: _a, ...base } = mech;
    await client.call('rules.set', { scope: 'motor', key: 'motor_01', rules: [{ ...base, clauses: [{ kind: 'threshold', signal: 'vibration', op: 'above', value: 0.03, hysteresis: 0.003, forS: 0 }] }] });
    expect((await client.call('rules.get', { id: 'motor_01' })).rules.find((r) => r.id === 'mechanical_fault')?.origin).toBe('motor');

    const raised = await waitFor('MECHANICAL_FAULT raised', async () => alarmOf(await client.call('alarms.list', { id: 'motor_01' }), 'MECHANICAL_FAULT'));
    expect(raised).toMatchObject({ state: 'active_unacked', severity: 'major', source: 'rule' });
    expect(raised.message).toMatch(/vibration \(rms accel\.\) above 0\.030 g \(0\.0\d+ g\)/);
    expect((await client.call('alarms.summary', {})).unacknowledged).toBeGreaterThanOrEqual(1);
    await waitFor('the twin shows it', () => h.engine.twins.get('motor_01')?.statusReasons.some((r) => r.text.startsWith('MECHANICAL_FAULT')));

    const acked = await client.call('alarms.ack', { alarmId: raised.id, comment: 'balancing booked for Tuesday' });
    expect(acked).toMatchObject({ state: 'active_acked', ackComment: 'balancing booked for Tuesday' });
    await expect(client.call('alarms.ack', { alarmId: raised.id, comment: '' })).rejects.toThrow(/already acknowledged/);

    await client.call('sim.setFault', { id: 'motor_01', fault: null });
    await waitFor('cleared', async () => (await client.call('alarms.list', { id: 'motor_01' })).find((a) => a.id === raised.id)?.state === 'cleared_acked');
    const transitions = await client.call('alarms.transitions', { alarmId: raised.id });
    expect(transitions.map((t) => t.action).reverse()).toEqual(['raise', 'ack', 'clear']);
    expect(transitions.find((t) => t.action === 'ack')?.comment).toBe('balancing booked for Tuesday');

    const health = await client.call('health.get', { id: 'motor_01' });
    expect(health.index).toBeGreaterThan(0);
    expect(health.subScores.find((s) => s.name === 'thermal')?.score).not.toBeNull();
    close();
  });

  it('keeps alarms, rules and rule state across a restart: a fault still present does not raise again', async () => {
    await h.engine.sims.setFault('motor_01', 'unbalance');
    const again = await waitFor('raised again', () => h.engine.health.alarms.openFor('motor_01', 'MECHANICAL_FAULT'));
    expect(again.state).toBe('active_unacked');
    await new Promise((r) => setTimeout(r, 5500)); // the rule state is saved every 5 s
    await h.close();

    const { client, close } = await open();
    const restored = alarmOf(await client.call('alarms.list', { id: 'motor_01' }), 'MECHANICAL_FAULT');
    expect(restored).toMatchObject({ id: again.id, state: 'active_unacked' });
    expect((await client.call('rules.get', { id: 'motor_01' })).motorRules).toHaveLength(1);
    await h.engine.addSimulatedMotor('motor_01', 'unbalance', 5);
    await new Promise((r) => setTimeout(r, 3000));
    const transitions = await client.call('alarms.transitions', { alarmId: again.id });
    expect(transitions.map((t) => t.action)).toEqual(['raise']);
    await waitFor('status reason back', () => h.engine.twins.get('motor_01')?.statusReasons.some((r) => r.text.startsWith('MECHANICAL_FAULT')));
    close();
  });

  it('analyses waveform blocks from a simulated board with an outer-race fault: diagnosis, storage, alarm', async () => {
    const board = new SimulatedMotor({ id: 'motor_wave', brokerUrl: h.brokerUrl, fault: 'bearing_outer', rateHz: 5, waveformEveryS: 1 });
    const analyses: WaveformAnalysis[] = [];
    h.engine.on('waveformAnalysis', (a) => a.id === 'motor_wave' && analyses.push(a));
    await board.start();
    try {
      const a = await waitFor('an analysis with rpm known', () => analyses.find((x) => x.error === null), 20_000);
      expect(a.diagnosis?.fault).toBe('outer_race');
      expect(a.diagnosis!.confidence).toBeGreaterThan(0.7);
      expect(a.waterfall?.db.length).toBe(256);
      const detail = await h.engine.health.latestWaveform('motor_wave');
      expect(detail?.markers.map((m) => m.label)).toEqual(expect.arrayContaining(['1x', '2x', '3x', 'BPFO', 'BPFI', 'BSF', 'FTF']));
      expect(detail?.envelope?.peaks[0].hz).toBeCloseTo(detail!.markers.find((m) => m.label === 'BPFO')!.hz, -1);
      await h.engine.health.store.flush();
      const rows = await h.engine.db.query("SELECT fault, (SELECT count(*) FROM waveforms WHERE device_id = 'motor_wave') AS blocks FROM waveform_analyses WHERE device_id = 'motor_wave' AND fault IS NOT NULL");
      expect(rows[0]).toMatchObject({ fault: 'outer_race' });
      expect(Number(rows[0].blocks)).toBeGreaterThanOrEqual(1);
      // Found in the envelope while the overall level is still zone A: an early-stage finding, worth watching.
      expect(h.engine.health.alarms.openFor('motor_wave', 'VIBRATION_DIAGNOSIS')).toMatchObject({ severity: 'minor', message: expect.stringMatching(/^early-stage outer-race defect/) });
      expect(h.engine.health.health('motor_wave')).toMatchObject({ assessment: { level: 'watch' }, subScores: expect.arrayContaining([expect.objectContaining({ name: 'bearing', score: 65 })]) });
    } finally {
      await board.stop();
    }
  });

  it('a broken waveform block is rejected with its reason and the engine carries on', async () => {
    const before = h.engine.pipeline.counters.rejected;
    await h.publisher.publishAsync('factory/motor_wave/waveform', JSON.stringify({ device_id: 'motor_wave', axis: 'x', sample_rate_hz: 1000, scale_g_per_lsb: 0.001, encoding: 'int16le-base64', samples: 'AAEC' }), { qos: 1 });
    await waitFor('rejected', () => h.engine.pipeline.counters.rejected > before);
    // Valid framing but no signal: analysed, with the reason instead of a verdict.
    const flat = Buffer.alloc(2 * 4096).toString('base64');
    const got: WaveformAnalysis[] = [];
    h.engine.on('waveformAnalysis', (a) => a.id === 'motor_01' && got.push(a));
    await new Promise((r) => setTimeout(r, 1100));
    await h.publisher.publishAsync('factory/motor_01/waveform', JSON.stringify({ device_id: 'motor_01', axis: 'x', sample_rate_hz: 4096, scale_g_per_lsb: 0.001, encoding: 'int16le-base64', samples: flat }), { qos: 1 });
    const a = await waitFor('analysis', () => got[0]);
    expect(a.error).toMatch(/constant/);
    expect(a.diagnosis).toBeNull();
  });
});
