import { EventEmitter } from 'node:events';
import type { BenchRunState, StepState } from '../../shared/benchtestContract';
import type { MeasuredStep, ProcedureStep, RundownStep, SpeedStep } from '../../shared/benchtestProcedure';
import type { WaveformPayload } from '../../shared/protocol/schemas';
import { analyseBenchBlock } from './blockAnalysis';
import type { BenchStore } from './benchStore';
import type { BenchDrive } from './benchDrive';
import { evaluate, slope, stepValidity, targetRpm, type BenchBlock, type BenchSample } from './criteria';
import { liveValues } from './liveValues';
import type { RunRecord } from './runRecord';
import { DomainError } from '../platform/domainError';

// One bench run as a state machine over the procedure's steps. Time is motor time: the wall clock for a
// real board, the simulator's own clock for a simulated motor (compressed by its speedup, and standing
// still while a busy host holds the simulator up), stopped while paused, so a step's duration means the
// same thing on the bench and in a compressed test. A measured step goes through phases: `drive` (a speed step
// sets the drive, a run-down switches it off: by command, or by the operator's hand and confirmation),
// `settle` (a speed step's settling time) and `measure` (readings count).

const TICK_MS = 100;
const THERMAL_WINDOW_S = 60;

export interface BenchRunOptions {
  record: RunRecord;
  /** Motor seconds, monotonic: the wall clock for a real board, the simulator's clock for a simulated one. */
  clock: () => number;
  /** Headless runs (the CLI) confirm manual steps themselves, saying so in the step's note. */
  autoConfirm: boolean;
  store: BenchStore;
  /** The motor's latest speed, for placing the shaft and bearing lines of a waveform block. */
  rpm: () => number | null;
  /** Sets the drive's speed and switches it off through the command gate; without one the operator does. */
  drive?: BenchDrive;
}

type Phase = 'drive' | 'settle' | 'measure';
const HEADLESS_NOTE = 'confirmed by the headless runner (no operator prompt)';
const isMeasured = (s: ProcedureStep | undefined): s is MeasuredStep => s !== undefined && s.kind !== 'manual';

export class BenchRun extends EventEmitter<{ change: [BenchRunState]; finished: [RunRecord] }> {
  readonly record: RunRecord;
  private readonly steps: StepState[];
  private index = 0;
  private resumeIndex: number | null = null;
  private state: BenchRunState['state'] = 'running';
  private phase: Phase = 'measure';
  private prompt: string | null = null;
  /** Counts drive commands, so a late answer to an earlier one changes nothing. */
  private driveSeq = 0;
  /** How the drive was set in this step, for its note. */
  private driveNote: string | null = null;
  private motorTimeS = 0;
  /** Start of the current phase, motor time. */
  private stepStartS = 0;
  private lastClock: number;
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
    this.lastClock = opts.clock();
    this.steps = opts.record.procedure.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, state: 'pending', note: null, startedAtS: null, measuredFromS: null, endedAtS: null, attempt: 0 }));
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
    st.measuredFromS = null;
    st.note = null;
    this.stepStartS = this.motorTimeS;
    this.driveNote = null;
    this.prompt = def.prompt ?? null;
    if (def.kind === 'manual') return this.waitForOperator(def.prompt);
    st.state = 'running';
    this.state = 'running';
    if (def.kind === 'run') this.beginMeasuring();
    else this.setDrive(def, this.index, st.attempt);
    this.emitChange(true);
  }

  /** A speed step sets the drive, a run-down switches it off: by command, or asking the operator. */
  private setDrive(def: SpeedStep | RundownStep, index: number, attempt: number): void {
    this.phase = 'drive';
    const rpm = def.kind === 'speed' ? targetRpm(def, this.record.nameplate) : null;
    if (def.kind === 'speed' && rpm === null) return this.endStep('invalid', 'no rated speed on the nameplate: a speed step runs at a share of it');
    const ask = def.kind === 'speed' ? `Set the drive to ${rpm} r/min` : 'Switch the drive off now';
    if (def.drive === 'operator' || !this.opts.drive) {
      this.driveNote = def.kind === 'speed' ? `drive set to ${rpm} r/min by hand` : 'drive switched off by hand';
      return this.waitForOperator(`${ask}, then confirm.`);
    }
    const why = `bench run ${this.runId}, step "${def.id}"`;
    const sent = def.kind === 'speed' ? this.opts.drive.setSpeed(rpm as number, why) : this.opts.drive.stop(why);
    const token = ++this.driveSeq;
    const current = () => !this.isOver && this.driveSeq === token && this.index === index && this.current?.attempt === attempt;
    this.prompt = def.kind === 'speed' ? `Setting the drive to ${rpm} r/min by command…` : 'Switching the drive off by command…';
    // The rotor starts to coast once the drive has the command, before its acknowledgement is back.
    if (def.kind === 'rundown') this.beginMeasuring();
    sent.then(
      () => {
        if (!current()) return;
        this.driveNote = def.kind === 'speed' ? `drive set to ${rpm} r/min by command` : 'drive switched off by command';
        if (def.kind === 'speed') this.beginMeasuring();
      },
      (e: Error) => {
        if (!current()) return;
        this.driveNote = `${e.message}; done by hand`;
        this.waitForOperator(`${ask} by hand (the command did not go through: ${e.message}), then confirm.`);
      },
    );
  }

  private waitForOperator(prompt: string): void {
    const st = this.current;
    if (!st) return;
    st.state = 'waiting';
    this.state = 'waiting';
    this.prompt = prompt;
    if (this.opts.autoConfirm) return this.confirm(HEADLESS_NOTE);
    this.emitChange(true);
  }

  /** The drive is where the step wants it: a speed step settles first, then readings count. */
  private beginMeasuring(): void {
    const def = this.def;
    const st = this.current;
    if (!st || !isMeasured(def)) return;
    if (st.state === 'waiting') st.state = 'running';
    if (this.state === 'waiting') this.state = 'running';
    this.prompt = def.prompt ?? null;
    this.stepStartS = this.motorTimeS;
    this.phase = def.kind === 'speed' && def.settleS > 0 && this.phase === 'drive' ? 'settle' : 'measure';
    if (this.phase === 'measure') st.measuredFromS = this.motorTimeS;
    this.emitChange(true);
  }

  private endStep(state: StepState['state'], note: string | null): void {
    const st = this.current;
    if (!st) return;
    st.state = state;
    st.note = [note, this.driveNote].filter(Boolean).join('; ') || null;
    st.endedAtS = this.motorTimeS;
    if (this.resumeIndex !== null) {
      this.index = this.resumeIndex;
      this.resumeIndex = null;
    } else this.index++;
    this.enterStep();
  }

  /** The operator has done what the prompt asked: a manual step, or setting the drive by hand. */
  confirm(note?: string): void {
    if (this.state !== 'waiting') throw new BenchStateError('there is no step waiting for confirmation');
    this.advance();
    if (this.def?.kind === 'manual') return this.endStep('done', note ?? null);
    if (note) this.driveNote = `${this.driveNote}, ${note}`;
    this.beginMeasuring();
  }

  pause(): void {
    if (this.state !== 'running') throw new BenchStateError(`a ${this.state} run cannot be paused`);
    this.advance();
    this.state = 'paused';
    this.emitChange(true);
  }

  resume(): void {
    if (this.state !== 'paused') throw new BenchStateError('the run is not paused');
    this.advance();
    this.state = 'running';
    this.emitChange(true);
  }

  abort(reason: string): void {
    if (this.isOver) throw new BenchStateError('the run has already ended');
    this.advance();
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
    if (i < 0 || !isMeasured(this.record.procedure.steps[i])) throw new BenchStateError(`"${stepId}" is not a measured step of this procedure`);
    if (this.isOver) throw new BenchStateError('the run has ended: a step can be rerun while the run is still going (start a new run otherwise)');
    if (!['done', 'invalid'].includes(this.steps[i].state)) throw new BenchStateError(`step "${stepId}" has not been run yet`);
    this.advance();
    this.resumeIndex = this.index;
    if (this.current) this.current.state = 'pending';
    this.index = i;
    this.enterStep();
  }

  get isOver(): boolean {
    return this.state === 'finished' || this.state === 'aborted';
  }

  private get measuring(): boolean {
    return this.state === 'running' && this.current?.state === 'running' && this.phase === 'measure';
  }

  onTelemetry(ts: number, v: Partial<Record<string, number | null>>): void {
    this.advance();
    const st = this.current;
    if (!this.measuring || !st) return;
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
    // A run-down is recorded from the telemetry: a block at a falling speed smears its lines.
    if (!this.measuring || !st || this.def?.kind === 'rundown') return;
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

  /** Brings motor time up to the clock: it runs only while a measured step is running. */
  private advance(): void {
    const t = this.opts.clock();
    if (this.state === 'running' && isMeasured(this.def)) this.motorTimeS += Math.max(0, t - this.lastClock);
    this.lastClock = t;
  }

  private tick(): void {
    this.advance();
    const def = this.def;
    if (this.state !== 'running' || !isMeasured(def)) return;
    const elapsed = this.motorTimeS - this.stepStartS;
    if (this.phase === 'drive') return this.emitChange(false);
    if (this.phase === 'settle') {
      if (def.kind === 'speed' && elapsed >= def.settleS) this.beginMeasuring();
      else this.emitChange(false);
      return;
    }
    if (def.kind === 'rundown' && this.stopped(def)) {
      const [state, note] = stepValidity(def, this.stepSamples(), this.stepStartS, this.motorTimeS);
      this.endStep(state, note ?? `stopped ${Math.round(elapsed)} s after the drive was switched off`);
    } else if (elapsed >= def.durationS) {
      const [state, note] = stepValidity(def, this.stepSamples(), this.stepStartS, this.motorTimeS);
      this.endStep(state, note ?? (def.kind === 'rundown' ? `still turning after ${def.durationS} s` : null));
    } else if (def.kind === 'run' && def.endWhen && elapsed >= def.endWhen.minS && this.settled(def.endWhen.temperatureRateBelowKPerMin)) {
      const [state, note] = stepValidity(def, this.stepSamples(), this.stepStartS, this.motorTimeS);
      this.endStep(state, note ?? `ended early after ${Math.round(elapsed)} s: temperature settled`);
    } else this.emitChange(false);
  }

  private stopped(def: RundownStep): boolean {
    const rpm = this.stepSamples().at(-1)?.rpm;
    return rpm !== null && rpm !== undefined && rpm < def.stoppedBelowRpm;
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
      prompt: this.isOver ? null : this.prompt,
      remainingS: this.remainingS(),
      motorTimeS: Math.round(this.motorTimeS),
      steps: this.steps.map((s) => ({ ...s })),
      live: liveValues({
        procedure: r.procedure,
        nameplate: r.nameplate,
        ambient: this.samples.find((s) => s.ambient !== null)?.ambient ?? this.samples.find((s) => s.temperature !== null)?.temperature ?? null,
        latest: this.latest,
        block: this.latestBlock,
        targetRpm: targetRpm(def, r.nameplate),
      }),
      spectrum: this.spectrum,
      abortReason: r.abortReason,
      verdict: this.isOver ? r.verdict : null,
      criteria: this.isOver ? r.criteria : [],
      warnings: [...r.warnings],
    };
  }

  /** Motor seconds left in the current measured step (a speed step's settling counts); null while the drive is set. */
  private remainingS(): number | null {
    const def = this.def;
    if (this.isOver || !isMeasured(def) || this.phase === 'drive') return null;
    const elapsed = this.motorTimeS - this.stepStartS;
    const left = this.phase === 'settle' && def.kind === 'speed' ? def.settleS - elapsed + def.durationS : def.durationS - elapsed;
    return Math.max(0, Math.round(left));
  }

  /** State changes go out at once; the countdown at most twice a second. */
  private emitChange(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < 500) return;
    this.lastEmit = now;
    this.emit('change', this.snapshot());
  }
}

/** A run asked for what its state does not allow (confirm a step not waiting, resume a finished run). */
export class BenchStateError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}
