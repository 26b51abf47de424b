import { EventEmitter } from 'node:events';
import type { BenchRunState, StepState } from '../../shared/benchtestContract';
import type { ProcedureStep, RunStep } from '../../shared/benchtestProcedure';
import type { WaveformPayload } from '../../shared/protocol/schemas';
import { analyseBenchBlock } from './blockAnalysis';
import type { BenchStore } from './benchStore';
import { ALLOWED_RISE_K, evaluate, slope, type BenchBlock, type BenchSample } from './criteria';
import type { RunRecord } from './runRecord';
import { zoneLimits } from '../vibration/iso20816';

// One bench run as a state machine over the procedure's steps. Time is motor time: real time times the
// simulator's speedup (1 for a real board), stopped while paused, so a step's duration means the same
// thing on the bench and in a compressed test.

const TICK_MS = 100;
const THERMAL_WINDOW_S = 60;

export interface BenchRunOptions {
  record: RunRecord;
  speedup: number;
  /** Headless runs (the CLI) confirm manual steps themselves, saying so in the step's note. */
  autoConfirm: boolean;
  store: BenchStore;
  /** The motor's latest speed, for placing the shaft and bearing lines of a waveform block. */
  rpm: () => number | null;
}

export class BenchRun extends EventEmitter<{ change: [BenchRunState]; finished: [RunRecord] }> {
  readonly record: RunRecord;
  private readonly steps: StepState[];
  private index = 0;
  private resumeIndex: number | null = null;
  private state: BenchRunState['state'] = 'running';
  private motorTimeS = 0;
  private stepStartS = 0;
  private lastTick = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly samples: BenchSample[] = [];
  private readonly blocks: BenchBlock[] = [];
  private latest: Partial<BenchSample> = {};
  private latestBlock: BenchBlock | null = null;
  private spectrum: BenchRunState['spectrum'] = null;
  private lastEmit = 0;
  private settle: (r: RunRecord) => void = () => undefined;
  /** Resolves once the run has ended and its record is stored. */
  readonly done = new Promise<RunRecord>((resolve) => (this.settle = resolve));

  constructor(private readonly opts: BenchRunOptions) {
    super();
    this.record = opts.record;
    this.steps = opts.record.procedure.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, state: 'pending', note: null, startedAtS: null, endedAtS: null, attempt: 0 }));
  }

  get runId(): string {
    return this.record.runId;
  }

  start(): void {
    this.enterStep();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private get def(): ProcedureStep | undefined {
    return this.record.procedure.steps[this.index];
  }

  private get current(): StepState | undefined {
    return this.steps[this.index];
  }

  private enterStep(): void {
    const def = this.def;
    const st = this.current;
    if (!def || !st) return void this.finish();
    st.attempt++;
    st.startedAtS = this.motorTimeS;
    st.endedAtS = null;
    st.note = null;
    this.stepStartS = this.motorTimeS;
    if (def.kind === 'manual') {
      st.state = 'waiting';
      this.state = 'waiting';
      if (this.opts.autoConfirm) return void this.confirm('confirmed by the headless runner (no operator prompt)');
    } else {
      st.state = 'running';
      this.state = 'running';
    }
    this.emitChange(true);
  }

  private endStep(state: StepState['state'], note: string | null): void {
    const st = this.current;
    if (!st) return;
    st.state = state;
    st.note = note;
    st.endedAtS = this.motorTimeS;
    if (this.resumeIndex !== null) {
      this.index = this.resumeIndex;
      this.resumeIndex = null;
    } else this.index++;
    this.enterStep();
  }

  confirm(note?: string): void {
    if (this.def?.kind !== 'manual' || this.state !== 'waiting') throw new BenchStateError('there is no manual step waiting for confirmation');
    this.endStep('done', note ?? null);
  }

  pause(): void {
    if (this.state !== 'running') throw new BenchStateError(`a ${this.state} run cannot be paused`);
    this.state = 'paused';
    this.emitChange(true);
  }

  resume(): void {
    if (this.state !== 'paused') throw new BenchStateError('the run is not paused');
    this.state = 'running';
    this.lastTick = Date.now();
    this.emitChange(true);
  }

  abort(reason: string): void {
    if (this.isOver) throw new BenchStateError('the run has already ended');
    this.record.abortReason = reason;
    const st = this.current;
    if (st) {
      st.state = 'aborted';
      st.note = reason;
      st.endedAtS = this.motorTimeS;
    }
    for (const s of this.steps) if (s.state === 'pending') s.state = 'skipped';
    this.state = 'aborted';
    void this.finish();
  }

  /** Runs one measured step again; its earlier data stays stored but the criteria use the new attempt. */
  rerunStep(stepId: string): void {
    const i = this.steps.findIndex((s) => s.id === stepId);
    if (i < 0 || this.record.procedure.steps[i].kind !== 'run') throw new BenchStateError(`"${stepId}" is not a measured step of this procedure`);
    if (this.isOver) throw new BenchStateError('the run has ended: a step can be rerun while the run is still going (start a new run otherwise)');
    if (!['done', 'invalid'].includes(this.steps[i].state)) throw new BenchStateError(`step "${stepId}" has not been run yet`);
    this.resumeIndex = this.index;
    if (this.current) this.current.state = 'pending';
    this.index = i;
    this.lastTick = Date.now();
    this.enterStep();
  }

  get isOver(): boolean {
    return this.state === 'finished' || this.state === 'aborted';
  }

  onTelemetry(ts: number, v: Partial<Record<string, number | null>>): void {
    const st = this.current;
    if (this.state !== 'running' || st?.state !== 'running') return;
    const s: BenchSample = {
      t: this.motorTimeS,
      step: st.id,
      attempt: st.attempt,
      temperature: v.temperature ?? null,
      rpm: v.rpm ?? null,
      vibVelocity: v.vib_velocity ?? null,
      ambient: v.ambient ?? null,
    };
    this.samples.push(s);
    this.latest = s;
    this.opts.store.addSample(this.runId, ts, s);
  }

  onWaveform(ts: number, p: WaveformPayload): void {
    const st = this.current;
    if (this.state !== 'running' || st?.state !== 'running') return;
    const a = analyseBenchBlock(p, this.opts.rpm(), this.record.nameplate, (reason) => this.warnOnce(`waveform block not analysed: ${reason}`));
    if (!a) return;
    const b: BenchBlock = { t: this.motorTimeS, step: st.id, attempt: st.attempt, ...a.result };
    this.blocks.push(b);
    this.latestBlock = b;
    this.spectrum = a.spectrum;
    if (st.id === this.lastRunStepId()) this.record.plots = { spectrum: a.spectrum, envelope: a.envelope };
    this.opts.store.addBlock(this.runId, ts, b);
  }

  private lastRunStepId(): string | undefined {
    return [...this.record.procedure.steps].reverse().find((s) => s.kind === 'run')?.id;
  }

  private warnOnce(w: string): void {
    if (!this.record.warnings.includes(w)) this.record.warnings.push(w);
  }

  private tick(): void {
    const now = Date.now();
    const dt = (now - this.lastTick) / 1000;
    this.lastTick = now;
    const def = this.def;
    if (this.state !== 'running' || def?.kind !== 'run') return;
    this.motorTimeS += dt * this.opts.speedup;
    const elapsed = this.motorTimeS - this.stepStartS;
    if (elapsed >= def.durationS) this.endStep(...this.validity(def));
    else if (def.endWhen && elapsed >= def.endWhen.minS && this.settled(def.endWhen.temperatureRateBelowKPerMin)) {
      const [state, note] = this.validity(def);
      this.endStep(state, note ?? `ended early after ${Math.round(elapsed)} s: temperature settled`);
    } else this.emitChange(false);
  }

  private stepSamples(): BenchSample[] {
    const st = this.current;
    return st ? this.samples.filter((s) => s.step === st.id && s.attempt === st.attempt) : [];
  }

  private settled(maxKPerMin: number): boolean {
    const pts = this.stepSamples()
      .filter((s) => s.temperature !== null && s.t >= this.motorTimeS - THERMAL_WINDOW_S)
      .map((s) => ({ t: s.t, y: s.temperature as number }));
    return pts.length >= 5 && Math.abs(slope(pts) * 60) < maxKPerMin;
  }

  /** A step with too many missing readings, or a long silence, is invalid: it proves nothing either way. */
  private validity(def: RunStep): [StepState['state'], string | null] {
    const s = this.stepSamples();
    if (!s.length) return ['invalid', 'no readings arrived during the step'];
    const missing = (s.filter((x) => x.temperature === null || x.rpm === null).length / s.length) * 100;
    let gap = s[0].t - this.stepStartS;
    for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i].t - s[i - 1].t);
    gap = Math.max(gap, this.motorTimeS - s[s.length - 1].t);
    if (missing > def.maxMissingPct) return ['invalid', `sensor dropout: ${missing.toFixed(0)} % of readings missing (at most ${def.maxMissingPct} %)`];
    if (gap > def.maxGapS) return ['invalid', `sensor dropout: no reading for ${gap.toFixed(0)} s (at most ${def.maxGapS} s)`];
    return ['done', null];
  }

  private async finish(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.state !== 'aborted') this.state = 'finished';
    const r = this.record;
    const { verdict, criteria } = evaluate({
      procedure: r.procedure,
      nameplate: r.nameplate,
      samples: this.samples,
      blocks: this.blocks,
      steps: this.steps.map((s) => ({ id: s.id, attempt: s.attempt, valid: s.state === 'done', done: s.state === 'done' || s.state === 'invalid', note: s.note })),
      calibration: r.calibration,
      aborted: this.state === 'aborted',
    });
    Object.assign(r, { verdict, criteria, steps: this.steps.map((s) => ({ ...s })), endedAt: Date.now() });
    try {
      await this.opts.store.saveRun(r);
    } catch (e) {
      this.warnOnce(`the run could not be saved: ${(e as Error).message}`);
    }
    this.emitChange(true);
    this.emit('finished', r);
    this.settle(r);
  }

  private liveValues(): BenchRunState['live'] {
    const np = this.record.nameplate;
    const crit = this.record.procedure.criteria;
    const zones = zoneLimits(np.isoGroup ?? 2, np.foundation ?? 'rigid');
    const ambient = this.samples.find((s) => s.ambient !== null)?.ambient ?? this.samples.find((s) => s.temperature !== null)?.temperature ?? null;
    const riseC = crit.find((c) => c.kind === 'temperature_rise');
    const margin = riseC?.kind === 'temperature_rise' ? riseC.frameMarginK : 0;
    const riseLimit = np.insulationClass ? ALLOWED_RISE_K[np.insulationClass] - margin : null;
    const speedC = crit.find((c) => c.kind === 'speed');
    const tol = speedC?.kind === 'speed' ? speedC.tolerancePct : null;
    const bearingC = crit.find((c) => c.kind === 'bearing_tones');
    const share = (k: 'line_1x' | 'line_2x') => {
      const c = crit.find((x) => x.kind === k);
      return c && (c.kind === 'line_1x' || c.kind === 'line_2x') ? c.shareOfZoneAB : null;
    };
    const b = this.latestBlock;
    const l = this.latest;
    const item = (name: string, value: number | null | undefined, limit: number | null, unit: string) => ({
      name,
      value: value ?? null,
      limit,
      unit,
      ok: value === null || value === undefined || limit === null ? null : value <= limit,
    });
    const s1 = share('line_1x');
    const s2 = share('line_2x');
    return [
      item('Temperature rise', l.temperature != null && ambient != null ? Number((l.temperature - ambient).toFixed(1)) : null, riseLimit, 'K'),
      item('Speed deviation', l.rpm != null && np.ratedRpm ? Number(((Math.abs(l.rpm - np.ratedRpm) / np.ratedRpm) * 100).toFixed(2)) : null, tol, '%'),
      item('Velocity RMS', b ? Number(b.velocityRmsMmS.toFixed(2)) : (l.vibVelocity ?? null), zones.bc, 'mm/s'),
      item('1x line', b ? Number(b.oneXMmS.toFixed(2)) : null, s1 === null ? null : Number((s1 * zones.ab).toPrecision(3)), 'mm/s'),
      item('2x line', b ? Number(b.twoXMmS.toFixed(2)) : null, s2 === null ? null : Number((s2 * zones.ab).toPrecision(3)), 'mm/s'),
      item('Bearing tone confidence', b ? Number(b.bearingConfidence.toFixed(2)) : null, bearingC?.kind === 'bearing_tones' ? bearingC.maxConfidence : null, ''),
    ];
  }

  snapshot(): BenchRunState {
    const def = this.def;
    const r = this.record;
    return {
      runId: r.runId,
      deviceId: r.deviceId,
      serialNumber: r.serialNumber,
      procedure: { name: r.procedure.name, version: r.procedure.version, title: r.procedure.title },
      operator: r.operator,
      source: r.source,
      state: this.state,
      currentStep: this.isOver ? null : (def?.id ?? null),
      remainingS: def?.kind === 'run' && !this.isOver ? Math.max(0, Math.round(def.durationS - (this.motorTimeS - this.stepStartS))) : null,
      motorTimeS: Math.round(this.motorTimeS),
      steps: this.steps.map((s) => ({ ...s })),
      live: this.liveValues(),
      spectrum: this.spectrum,
      abortReason: r.abortReason,
      verdict: this.isOver ? r.verdict : null,
      criteria: this.isOver ? r.criteria : [],
      warnings: [...r.warnings],
    };
  }

  /** State changes go out at once; the countdown at most twice a second. */
  private emitChange(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < 500) return;
    this.lastEmit = now;
    this.emit('change', this.snapshot());
  }
}

export class BenchStateError extends Error {}
