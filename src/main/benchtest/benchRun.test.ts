import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { procedureSchema, type Procedure } from '../../shared/benchtestProcedure';
import { nameplateSchema } from '../../shared/twin';
import { BenchRun } from './benchRun';
import type { BenchDrive } from './benchDrive';
import type { BenchStore } from './benchStore';
import type { RunRecord } from './runRecord';

// The runner's speed steps and run-down against a fake clock, store and drive: what is measured when, and
// what happens when the drive refuses a command.

const procedure: Procedure = procedureSchema.parse({
  name: 'steps',
  version: '1.0.0',
  title: 'Steps',
  steps: [
    { id: 'half', kind: 'speed', title: 'Half speed', speedPct: 50, settleS: 10, durationS: 30 },
    { id: 'down', kind: 'rundown', title: 'Run-down', durationS: 120, stoppedBelowRpm: 30 },
  ],
  criteria: [{ id: 'speed', kind: 'speed', step: 'half', tolerancePct: 2, source: 'test' }],
});

function record(): RunRecord {
  return {
    runId: 'bt-test',
    serialNumber: 'SN',
    deviceId: 'm',
    nameplate: nameplateSchema.parse({ ratedRpm: 1480 }),
    procedure,
    operator: 'op',
    source: { kind: 'mqtt', deviceId: 'm' },
    board: { fw: null, board: null, calibrationId: null },
    certificates: [],
    calibration: { state: 'sim', detail: '' },
    startedAt: 0,
    endedAt: null,
    verdict: 'incomplete',
    criteria: [],
    steps: [],
    abortReason: null,
    warnings: [],
    plots: { spectrum: null, envelope: null },
  };
}

const store = { addSample: () => undefined, addBlock: () => undefined, saveRun: async () => undefined } as unknown as BenchStore;

describe('a bench run with speed steps and a run-down', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());

  /** Motor time passes by `s` seconds, with one reading at the given speed per second. */
  const pass = (run: BenchRun, s: number, rpm: (t: number) => number) => {
    for (let i = 0; i < s; i++) {
      clock += 1;
      run.onTelemetry(0, { temperature: 40, rpm: rpm(clock), vib_velocity: 1 });
      vi.advanceTimersByTime(100);
    }
  };

  it('commands the set speed, settles, measures only after, then switches off and ends when the shaft stops', async () => {
    const sent: string[] = [];
    const drive: BenchDrive = {
      setSpeed: async (rpm) => void sent.push(`SET_SPEED ${rpm}`),
      stop: async () => void sent.push('STOP'),
    };
    const run = new BenchRun({ record: record(), clock: () => clock, autoConfirm: false, store, rpm: () => null, drive });
    run.start();
    expect(sent).toEqual(['SET_SPEED 740']);
    expect(run.snapshot().remainingS).toBeNull();
    await vi.advanceTimersByTimeAsync(100);
    expect(run.snapshot().remainingS).toBe(40);
    // Settling: 10 s at a wrong speed that must not count.
    pass(run, 10, () => 1000);
    pass(run, 31, () => 735);
    expect(sent).toEqual(['SET_SPEED 740', 'STOP']);
    await vi.advanceTimersByTimeAsync(100);
    expect(run.snapshot().currentStep).toBe('down');
    pass(run, 20, (t) => Math.max(0, 735 - 20 * (t - 41)));
    pass(run, 30, () => 0);
    const r = await run.done;
    const half = r.steps.find((s) => s.id === 'half')!;
    expect(half).toMatchObject({ state: 'done', note: 'drive set to 740 r/min by command' });
    expect(half.measuredFromS).toBe(10);
    expect(r.steps.find((s) => s.id === 'down')!.note).toMatch(/^stopped \d+ s after the drive was switched off; drive switched off by command$/);
    expect(r.criteria[0]).toMatchObject({ id: 'speed', result: 'pass', value: 0.676 });
    expect(r.criteria[0].name).toBe('Speed against set speed, at 50 % speed');
  });

  it('asks the operator to set the drive by hand when the gate refuses the command, and measures after the confirmation', async () => {
    const drive: BenchDrive = { setSpeed: () => Promise.reject(new Error('SET_SPEED refused: rate limit')), stop: async () => undefined };
    const run = new BenchRun({ record: record(), clock: () => clock, autoConfirm: false, store, rpm: () => null, drive });
    run.start();
    await vi.advanceTimersByTimeAsync(0);
    const s = run.snapshot();
    expect(s.state).toBe('waiting');
    expect(s.prompt).toBe('Set the drive to 740 r/min by hand (the command did not go through: SET_SPEED refused: rate limit), then confirm.');
    // Readings while waiting do not count, and motor time stands still.
    pass(run, 5, () => 1480);
    expect(run.snapshot().motorTimeS).toBe(0);
    run.confirm();
    expect(run.snapshot().state).toBe('running');
    run.abort('enough');
    const r = await run.done;
    expect(r.steps[0].note).toBe('enough');
    expect(r.verdict).toBe('incomplete');
  });
});
