import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { decodeDeviceMessage } from '../../src/shared/protocol/decode';
import { DEFAULT_SPEC, MotorModel } from '../../src/main/sim/motorModel';
import { SimulatedMotor } from '../../src/main/sim/simulatedMotor';
import { waitFor } from '../support/tools';
import { seededRandom } from '../../src/main/vibration/waveformSynth';
import type { Alarm } from '../../src/shared/healthContract';

// Baselines by operating state in a running engine: the simulator's motor model (thermal time constant 2 min)
// starts cold and runs on a clock of its own, 5 s a reading, so a day of running passes in seconds; each
// reading goes through the engine's ingest (decode, validate, twin, rules, health) with its own timestamp.
describe('anomaly baselines by operating state, from a cold start, in the engine', () => {
  const ID = 'motor_cold';
  const STEP_S = 5;
  let h: Harness;
  const model = new MotorModel(DEFAULT_SPEC, seededRandom(3));
  let t = Date.now() - 40 * 3600_000;
  const raised: Alarm[] = [];

  beforeAll(async () => {
    h = await startEngine();
    h.engine.on('alarm', ({ alarm, transition }) => alarm.motorId === ID && transition.action === 'raise' && raised.push(alarm));
    model.temperature = model.ambient; // switched on cold
  });
  afterAll(async () => h?.close());

  /** Runs the motor for `s` seconds of its clock through the engine's ingest. */
  const run = (s: number) => {
    for (const end = t + s * 1000; t < end; t += STEP_S * 1000) {
      const m = decodeDeviceMessage('telemetry', { device_id: ID, timestamp: new Date(t).toISOString(), ...model.step(STEP_S) }, ID);
      if (!m.ok) throw new Error(m.reason);
      h.engine.pipeline.accept(m.value, ID, 'mqtt', 'test');
    }
  };
  const anomaly = () => h.engine.health.health(ID).anomaly;

  it('learns for the first 24 h of running with no verdict, then scores the warm-up after a restart as normal', () => {
    run(3 * 3600 + STEP_S);
    expect(anomaly()).toMatchObject({ phase: 'learning', note: 'learning: 3 h of 24 h of running', score: null, abnormal: false });
    run(21.1 * 3600);
    const learned = anomaly();
    expect(learned).toMatchObject({ phase: 'scoring', state: 'rated speed' });
    // Tau fitted to the first warm-up, the nameplate having none.
    expect(learned.warmUp).toMatchObject({ tauSource: 'learned' });
    expect(learned.warmUp!.tauS).toBeGreaterThan(0.75 * DEFAULT_SPEC.thermalTauS);
    expect(learned.warmUp!.tauS).toBeLessThan(1.33 * DEFAULT_SPEC.thermalTauS);

    // Stopped for 20 min (it cools to ambient), then started again: it warms up along its curve.
    model.running = false;
    run(20 * 60);
    expect(anomaly()).toMatchObject({ state: 'stopped', note: 'stopped: not scored' });
    model.running = true;
    run(3 * 60);
    const warming = h.engine.twins.get(ID)!.readings.temperature!.value!;
    expect(warming).toBeLessThan(model.steadyTemperature() - 5);
    expect(anomaly()).toMatchObject({ phase: 'scoring', state: 'rated speed', abnormal: false });
    run(10 * 60);
    expect(anomaly()).toMatchObject({ phase: 'scoring', abnormal: false });
    expect(raised.filter((a) => a.condition === 'ANOMALY')).toEqual([]);
  });

  it('flags a motor that runs hotter than its curve (cooling blocked)', () => {
    model.setFault('overheating');
    run(6 * 60);
    const a = raised.find((x) => x.condition === 'ANOMALY');
    expect(a?.message).toMatch(/"rated speed" baseline .*temperature rise over its warm-up curve \+\d/);
    model.setFault(null);
    run(15 * 60);
    expect(h.engine.health.alarms.openFor(ID, 'ANOMALY')?.state).toMatch(/^cleared/);
  });

  it('a simulated board switched on cold (sim --cold) warms up over MQTT while the engine says it is learning', async () => {
    const board = new SimulatedMotor({ id: 'motor_warming', brokerUrl: h.brokerUrl, rateHz: 10, speedup: 30, coldStart: true, waveformEveryS: 0 });
    await board.start();
    try {
      const temperature = () => h.engine.twins.get('motor_warming')?.readings.temperature?.value ?? null;
      const first = await waitFor('a first reading', temperature);
      expect(first).toBeLessThan(30);
      // Tau is 120 s of the simulator's time, 4 s at 30x: two of them take it most of the way.
      await waitFor('warmed up', () => (temperature() ?? 0) > 45, 20_000);
      expect(h.engine.health.health('motor_warming').anomaly).toMatchObject({ phase: 'learning', note: expect.stringMatching(/^learning: \d+ s of 24 h of running$/), abnormal: false });
      expect(h.engine.health.alarms.openFor('motor_warming', 'ANOMALY')).toBeUndefined();
    } finally {
      await board.stop();
    }
  });

  it('raises a stale-data alarm for a temperature sensor stuck at one value while the board is online, and clears it', () => {
    model.setFault('stuck_sensor');
    run(9 * 60);
    expect(h.engine.health.alarms.openFor(ID, 'STALE_TEMPERATURE')).toBeUndefined();
    run(2 * 60);
    const stale = h.engine.health.alarms.openFor(ID, 'STALE_TEMPERATURE');
    expect(stale).toMatchObject({ severity: 'warning', source: 'sensor', state: 'active_unacked' });
    expect(stale!.message).toMatch(/^temperature has read \d+\.\d\d °C exactly for 10 min while the board is online: sensor stuck\?$/);
    expect(h.engine.twins.get(ID)!.statusReasons.some((r) => r.reading === 'temperature' && r.text.startsWith('STALE_TEMPERATURE'))).toBe(true);
    // Nothing else is called frozen: not the velocity, which this simulator holds steady between speed changes.
    expect(h.engine.health.alarms.activeFor(ID).filter((a) => a.source === 'sensor').map((a) => a.condition)).toEqual(['STALE_TEMPERATURE']);
    model.setFault(null);
    run(STEP_S * 2);
    expect(h.engine.health.alarms.openFor(ID, 'STALE_TEMPERATURE')).toMatchObject({ state: 'cleared_unacked', message: expect.stringMatching(/^temperature is changing again/) });
  });
});
