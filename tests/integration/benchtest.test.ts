import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { requireTool, tempDir, waitFor } from '../support/tools';
import { VirtualSerialBoard } from '../../src/main/sim/virtualSerialBoard';
import { evaluate } from '../../src/main/benchtest/criteria';
import type { RunRecord } from '../../src/main/benchtest/runRecord';
import type { Procedure } from '../../src/shared/benchtestProcedure';

// Bench runs end to end on one engine: simulated motors at a high speedup through the embedded broker, and
// a virtual USB board on a socat pseudo-terminal. The shipped procedure's motor-time durations stay as they
// are; the speedup is what makes them short.

let h: Harness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => {
  await h.close();
});

const SPEEDUP = 60;
const failed = (r: RunRecord) => r.criteria.filter((c) => c.result === 'fail').map((c) => c.id).sort();

async function simRun(fault: string | null, serialNumber: string): Promise<RunRecord> {
  const run = await h.engine.benchtest.start({ serialNumber, operator: 'test', source: { kind: 'sim', fault, speedup: SPEEDUP } }, { autoConfirm: true });
  return h.engine.benchtest.finished(run);
}

describe('bench test with the simulator', () => {
  let runs: Record<string, RunRecord>;
  beforeAll(async () => {
    // Independent motors, so they run side by side: one wait for all five.
    const faults = ['healthy', 'bearing_outer', 'unbalance', 'overheating', 'sensor_dropout'];
    const done = await Promise.all(faults.map((f, i) => simRun(f === 'healthy' ? null : f, `SN-${i}-${f}`)));
    runs = Object.fromEntries(faults.map((f, i) => [f, done[i]]));
    // Simulated time slows when the machine is busy (it stands still rather than leaping), so allow for that.
  }, 180_000);

  it('passes a healthy motor on the shipped procedure, every criterion with a value and its source', () => {
    const r = runs.healthy;
    expect(r.procedure).toMatchObject({ name: 'no-load-acceptance', version: '1.0.0' });
    expect(r.verdict, JSON.stringify(r.criteria.filter((c) => c.result !== 'pass'))).toBe('pass');
    expect(r.criteria).toHaveLength(9);
    for (const c of r.criteria) {
      expect(c.result).toBe('pass');
      expect(c.value).not.toBeNull();
      expect(c.source.length).toBeGreaterThan(20);
    }
  });

  it.each([
    ['bearing_outer', ['bearing_tones']],
    ['unbalance', ['line_1x']],
    ['overheating', ['temperature_rise']],
    ['sensor_dropout', ['sensor_sanity']],
  ])('%s fails %j and no other criterion', (fault, expected) => {
    expect(runs[fault].verdict).toBe('fail');
    expect(failed(runs[fault])).toEqual(expected);
  });

  it('marks the steps of a dropout run invalid, not passed', () => {
    const steady = runs.sensor_dropout.steps.find((s) => s.id === 'steady');
    expect(steady?.state).toBe('invalid');
    expect(steady?.note).toMatch(/sensor dropout/);
    expect(runs.sensor_dropout.criteria.find((c) => c.id === 'iso_zone')?.result).toBe('incomplete');
  });

  it('re-analyses a stored run from the database to the same values', async () => {
    const r = runs.unbalance;
    const stored = await h.engine.benchtest.store.run(r.runId);
    const again = evaluate({
      procedure: stored!.procedure,
      nameplate: stored!.nameplate,
      samples: await h.engine.benchtest.store.samples(r.runId),
      blocks: await h.engine.benchtest.store.blocks(r.runId),
      steps: stored!.steps.map((s) => ({ id: s.id, attempt: s.attempt, valid: s.state === 'done', done: s.state === 'done' || s.state === 'invalid', note: s.note })),
      calibration: stored!.calibration,
      aborted: false,
    });
    expect(again.verdict).toBe(r.verdict);
    expect(again.criteria.map((c) => [c.id, c.value, c.result])).toEqual(r.criteria.map((c) => [c.id, c.value, c.result]));
  });

  it('writes the PDF and an HTML report whose numbers are the database\'s, with plots and a comparison', async () => {
    const r = runs.healthy;
    const pdf = await h.engine.benchtest.report(r.runId, 'pdf');
    expect(existsSync(pdf)).toBe(true);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(20_000);
    const html = readFileSync(await h.engine.benchtest.report(r.runId, 'html'), 'utf8');
    const stored = await h.engine.benchtest.store.run(r.runId);
    for (const c of stored!.criteria) {
      const row = new RegExp(`data-criterion="${c.id}".*?data-value="([^"]*)".*?data-limit="([^"]*)"`).exec(html);
      expect(row, c.id).not.toBeNull();
      expect(Number(row![1])).toBe(c.value);
      expect(Number(row![2])).toBe(c.limit);
    }
    for (const plot of ['plot-temperature', 'plot-speed', 'plot-velocity', 'plot-spectrum', 'plot-envelope']) expect(html).toContain(`data-testid="${plot}"`);
    expect(html).toContain('Signatures');
    expect(html).not.toMatch(/(src|href)="https?:/);
    // The units of the same model tested before this one are its fleet. The five runs start together, so
    // the one that started last is the one with earlier units.
    const last = Object.values(runs).reduce((a, b) => (b.startedAt >= a.startedAt ? b : a));
    const later = readFileSync(await h.engine.benchtest.report(last.runId, 'html'), 'utf8');
    expect(later).toMatch(/<th>Earlier units<\/th>/);
  }, 60_000);

  it('refuses a serial number already tested unless asked to test again', async () => {
    await expect(h.engine.benchtest.start({ serialNumber: 'SN-0-healthy', operator: 't', source: { kind: 'sim', speedup: 60 } })).rejects.toThrow(/already tested.*open that report, or test again/);
    const run = await h.engine.benchtest.start({ serialNumber: 'SN-0-healthy', operator: 't', retest: true, source: { kind: 'sim', speedup: 60 } });
    run.abort('only checking the retest');
    await h.engine.benchtest.finished(run);
  });
});

describe('speed steps and a run-down on the simulator', () => {
  let r: RunRecord;
  beforeAll(async () => {
    const run = await h.engine.benchtest.start({ procedure: 'speed-steps-acceptance', serialNumber: 'SN-steps', operator: 'tester', source: { kind: 'sim', fault: null, speedup: SPEEDUP } }, { autoConfirm: true });
    r = await h.engine.benchtest.finished(run);
  }, 180_000);

  it('sets each speed through the command gate, measures at it, and passes', async () => {
    expect(r.verdict, JSON.stringify(r.criteria.filter((c) => c.result !== 'pass'))).toBe('pass');
    for (const pct of [60, 80, 100]) {
      const step = r.steps.find((s) => s.id === `speed_${pct}`)!;
      expect(step.state).toBe('done');
      expect(step.note).toMatch(new RegExp(`drive set to ${Math.round(14.8 * pct)} r/min by command`));
      const speed = r.criteria.find((c) => c.id === `speed_${pct}`)!;
      expect(speed.name).toMatch(new RegExp(`at ${pct} % speed`));
      expect(speed.detail).toMatch(new RegExp(`against the set speed ${Math.round(14.8 * pct)} r/min`));
    }
    // The gate's audit trail has the bench run's commands, issued as the operator, and the motor applied them.
    const audit = await h.engine.commands.auditTrail(r.deviceId, 100);
    const applied = audit.filter((a) => a.kind === 'acknowledgement' && /: applied/.test(a.text)).map((a) => a.text);
    expect(applied.join('\n')).toMatch(/SET_SPEED 888 .*applied/);
    expect(applied.join('\n')).toMatch(/STOP .*applied/);
    expect(audit.find((a) => a.kind === 'command' && /SET_SPEED 888/.test(a.text))?.actor).toBe('person tester');
  });

  it('records the run-down to a stop and reports the speed steps, the run-down time and its vibration peak', async () => {
    const down = r.steps.find((s) => s.id === 'rundown')!;
    expect(down.state).toBe('done');
    expect(down.note).toMatch(/stopped \d+ s after the drive was switched off/);
    const samples = (await h.engine.benchtest.store.samples(r.runId)).filter((s) => s.step === 'rundown');
    expect(samples.at(-1)!.rpm).toBeLessThan(30);
    const html = readFileSync(await h.engine.benchtest.report(r.runId, 'html'), 'utf8');
    for (const pct of [60, 80, 100]) {
      const mean = Number(new RegExp(`data-speed-step="speed_${pct}".*?data-mean-rpm="([^"]*)"`).exec(html)![1]);
      expect(Math.abs(mean - 14.8 * pct) / (14.8 * pct)).toBeLessThan(0.02);
    }
    const stopS = Number(/data-stop-s="([^"]*)"/.exec(html)![1]);
    expect(stopS).toBeGreaterThan(30);
    expect(stopS).toBeLessThan(300);
    // Coasting through the mounts' resonance (below running speed) shakes more than the steady run.
    const peak = Number(/data-peak="([^"]*)"/.exec(html)![1]);
    const steady = samples.length && Math.max(...(await h.engine.benchtest.store.samples(r.runId)).filter((s) => s.step === 'steady').map((s) => s.vibVelocity ?? 0));
    expect(peak).toBeGreaterThan(steady);
    expect(html).toContain('data-testid="plot-rundown"');
  });
});

describe('an aborted run', () => {
  it('is incomplete and says why', async () => {
    const run = await h.engine.benchtest.start({ serialNumber: 'SN-abort', operator: 'test', source: { kind: 'sim', fault: null, speedup: SPEEDUP } }, { autoConfirm: true });
    await waitFor('the warm-up to run', () => run.snapshot().currentStep === 'warmup');
    run.pause();
    expect(run.snapshot().state).toBe('paused');
    run.resume();
    run.abort('drive tripped');
    const r = await h.engine.benchtest.finished(run);
    expect(r.verdict).toBe('incomplete');
    expect(r.abortReason).toBe('drive tripped');
    expect(r.steps.find((s) => s.id === 'warmup')?.state).toBe('aborted');
    expect((await h.engine.benchtest.store.list({ serialNumber: 'SN-abort' }))[0].verdict).toBe('incomplete');
  });
});

describe('a bench run over a virtual USB serial board', () => {
  it('runs the same procedure and passes, warning that the board has no calibration certificate', async () => {
    requireTool('socat', 'socat');
    const board = new VirtualSerialBoard({ id: 'bench_usb', rateHz: 10, waveformHz: 2, vibrationWaveforms: true });
    // A real board has no speedup: the same procedure, shortened in a file, as a user would copy and edit it.
    const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/procedures/no-load-acceptance.json'), 'utf8')) as Procedure;
    const quick: Procedure = {
      ...shipped,
      name: 'no-load-quick',
      steps: shipped.steps.map((s) => (s.kind === 'run' ? { ...s, durationS: s.id === 'warmup' ? 3 : 6, endWhen: undefined } : s)),
      criteria: shipped.criteria.map((c) => (c.kind === 'temperature_rise_rate' ? { ...c, windowS: 5, maxKPerMin: 30 } : c)),
    };
    const file = join(tempDir(), 'quick.json');
    writeFileSync(file, JSON.stringify(quick));
    try {
      await board.plugIn(tempDir('motortwin-pty-'));
      board.calibration.pulsesPerRev = 2; // the speed sensor as a calibrated board reads it
      await h.engine.devices.serial.open(board.hostPath, 115200);
      await waitFor('the board to send speed', () => h.engine.twins.get('bench_usb')?.readings.rpm);
      h.engine.twins.update({ id: 'bench_usb', nameplate: { ratedRpm: 1480, insulationClass: 'F', isoGroup: 2, foundation: 'flexible', bearingDe: '6205', model: 'USB-1' } });
      const { loadProcedureFile } = await import('../../src/main/benchtest/procedureLoader');
      const run = await h.engine.benchtest.start({ serialNumber: 'SN-usb', operator: 'test', source: { kind: 'device', deviceId: 'bench_usb' } }, { autoConfirm: true, procedure: loadProcedureFile(file) });
      const r = await h.engine.benchtest.finished(run);
      expect(r.source.kind).toBe('serial');
      expect(r.criteria.filter((c) => c.result !== 'pass' && c.id !== 'sensor_sanity')).toEqual([]);
      expect(r.criteria.find((c) => c.id === 'sensor_sanity')?.result).toBe('warn');
      expect(r.warnings.join(' ')).toMatch(/no calibration certificate/);
      expect(r.verdict).toBe('pass');
    } finally {
      await board.unplug();
    }
  }, 40_000);

  it('sets the speed steps and switches off for the run-down over the serial port, through the command gate', async () => {
    requireTool('socat', 'socat');
    const board = new VirtualSerialBoard({ id: 'bench_usb_steps', rateHz: 10 });
    // The shipped speed steps, shortened for a board in real time: no warm-up, a few seconds per step (the
    // drive settles within 8 s), and a run-down that ends once the rotor has lost a sixth of its speed.
    const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/procedures/speed-steps-acceptance.json'), 'utf8')) as Procedure;
    const quick: Procedure = {
      ...shipped,
      name: 'speed-steps-quick',
      steps: shipped.steps
        .filter((s) => s.kind === 'speed' || s.kind === 'rundown' || s.id === 'mount')
        .map((s) => (s.kind === 'speed' ? { ...s, settleS: 8, durationS: 2 } : s.kind === 'rundown' ? { ...s, stoppedBelowRpm: 1200, durationS: 20 } : s)),
      criteria: shipped.criteria.filter((c) => c.kind === 'speed' && c.step.startsWith('speed_')),
    };
    try {
      await board.plugIn(tempDir('motortwin-pty-'));
      board.calibration.pulsesPerRev = 2;
      await h.engine.devices.serial.open(board.hostPath, 115200);
      await waitFor('the board to send speed', () => h.engine.twins.get('bench_usb_steps')?.readings.rpm);
      h.engine.twins.update({ id: 'bench_usb_steps', nameplate: { ratedRpm: 1480, model: 'USB-2' } });
      const run = await h.engine.benchtest.start({ serialNumber: 'SN-usb-steps', operator: 'usb tester', source: { kind: 'device', deviceId: 'bench_usb_steps' } }, { autoConfirm: true, procedure: quick });
      const r = await h.engine.benchtest.finished(run);
      expect(r.verdict, JSON.stringify(r.criteria)).toBe('pass');
      expect(r.steps.find((s) => s.id === 'speed_60')?.note).toBe('drive set to 888 r/min by command');
      expect(r.steps.find((s) => s.id === 'rundown')?.note).toMatch(/^stopped \d+ s after the drive was switched off; drive switched off by command$/);
      const sent = board.commands.map((c) => [c.action, c.value]);
      expect(sent).toEqual([['SET_SPEED', 888], ['SET_SPEED', 1184], ['SET_SPEED', 1480], ['STOP', undefined]]);
    } finally {
      await board.unplug();
    }
  }, 90_000);
});
