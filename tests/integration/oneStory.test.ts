import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedMotor } from '../../src/main/sim/simulatedMotor';
import { INDEX_BANDS, ALARM_SEVERITY } from '../../src/main/health/assessment';
import type { HealthSnapshot } from '../../src/shared/healthContract';
import { startEngine, type Harness } from '../support/engineHarness';
import { runCli } from '../support/cli';
import { connectWs } from '../support/wsClient';
import { waitFor } from '../support/tools';

// Issue 13, parts 1 and 3, as the four-minute trial met them, on an accelerated run: a simulator with an
// outer-race fault and a steady one, four times real time (each declares 4 x 120 plant seconds per second).
// The steady motor gets no date; the faulty one tells one story in its index, alarm, status and verdict; and
// `motortwin ask` after the engine stopped reads that same story from the store.
describe('one story per motor, and a date only where the data carries it', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<typeof connectWs>>;
  let boards: SimulatedMotor[] = [];
  let live: HealthSnapshot;

  beforeAll(async () => {
    h = await startEngine({ http: true });
    ws = await connectWs(h.server!.url);
    boards = (['bearing_outer', null] as const).map((fault, i) => new SimulatedMotor({ id: ['motor_02', 'motor_04'][i], brokerUrl: h.brokerUrl, fault, rateHz: 10, waveformEveryS: 2, speedup: 4 }));
    for (const b of boards) await b.start();
  });
  afterAll(async () => {
    for (const b of boards) await b.stop().catch(() => undefined);
    ws?.close();
    await h?.close().catch(() => undefined);
  });

  it('declares the simulator\'s time scale on the twin', async () => {
    await waitFor('time scale', () => h.engine.twins.get('motor_02')?.device.timeScale === 480);
  });

  it('gives the steady motor no date, and says why', async () => {
    const rul = await waitFor(
      'a fit on the steady motor',
      async () => {
        const r = await ws.client.call('health.remainingLife', { id: 'motor_04', metric: 'vibration' });
        return r.status === 'learning' ? null : r;
      },
      90_000,
    );
    expect(rul.status).toBe('no_trend');
    expect(rul.crossingAt).toBeNull();
    expect(rul.explanation).toMatch(/^no upward trend/);
    expect(rul.explanation).not.toMatch(/\d{7,}|e\+/);
  }, 100_000);

  it('tells one story for the faulty motor: verdict, index band, alarm severity, status colour', async () => {
    const alarm = await waitFor('the diagnosis alarm', () => h.engine.health.alarms.openFor('motor_02', 'VIBRATION_DIAGNOSIS'), 30_000);
    live = await ws.client.call('health.get', { id: 'motor_02' });
    const a = live.assessment;
    expect(a.level).toBe('watch');
    // Other findings at the same level (an anomaly warning) follow it: "(and 1 more finding)".
    expect(a.verdict).toMatch(/^Early-stage outer-race defect: bearing tones in the envelope, overall vibration still zone A/);
    expect(live.index).toBeGreaterThanOrEqual(INDEX_BANDS.watch[0]);
    expect(live.index).toBeLessThanOrEqual(INDEX_BANDS.watch[1]);
    expect(alarm.severity).toBe(ALARM_SEVERITY.watch);
    expect(alarm.message.startsWith(a.findings.find((f) => f.about === 'bearing')!.text)).toBe(true);
    const twin = await ws.client.call('twins.get', { id: 'motor_02' });
    expect(twin.status).toBe('warning');
    expect(live.subScores.find((s) => s.name === 'bearing')?.reason).toMatch(/^early-stage outer-race defect/);
    // The steady motor's index lies in its own level's band too, whatever that level is.
    const steady = await ws.client.call('health.get', { id: 'motor_04' });
    const [lo, hi] = INDEX_BANDS[steady.assessment.level];
    expect(steady.index === null || (steady.index >= lo && steady.index <= hi)).toBe(true);
  }, 40_000);

  it('projects the faulty motor only as far as three spans of its fit', async () => {
    const r = await ws.client.call('health.remainingLife', { id: 'motor_02', metric: 'vibration' });
    expect(r.timeScale).toBe(480);
    expect(r.explanation).not.toMatch(/\d{7,}|e\+/);
    if (r.status === 'estimate') expect(r.latest!).toBeLessThanOrEqual(r.fit!.to + 3 * (r.fit!.to - r.fit!.from) + 1);
  });

  it('answers `ask` after the engine stopped with the same assessment, bearing finding included', async () => {
    await new Promise((r) => setTimeout(r, 10_500)); // a health sample is stored every 10 s
    const stored = h.engine.health.health('motor_02');
    for (const b of boards) await b.stop();
    ws.close();
    await h.close();
    const out = await runCli(['ask', 'Why is motor_02 vibrating and what should I do?', '--motor', 'motor_02', '--data-dir', h.dataDir, '--json'], 90_000);
    expect(out.code, out.stderr).toBe(0);
    const answer = (JSON.parse(out.stdout) as { answer: string }).answer;
    expect(answer).toContain(`watch: ${stored.assessment.verdict}`);
    expect(answer).toMatch(/\*\*Health\*\* (5\d|6\d|7\d) \/ 100/);
    expect(answer).toMatch(/bearing: 65, early-stage outer-race defect/);
    expect(answer).not.toMatch(/no waveform analysed yet|Health\*\* 100/);
    expect(answer).toMatch(/VIBRATION_DIAGNOSIS \(minor/);
    // The status colour is the stored assessment's too, not "ok" for want of a live reading.
    expect(answer).toMatch(/\*\*motor_02\*\* is \*\*warning\*\*/);
  }, 120_000);
});
