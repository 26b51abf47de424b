import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRunState, BenchSource, BenchStart } from '../../shared/benchtestContract';
import { benchStartSchema } from '../../shared/benchtestContract';
import type { Procedure } from '../../shared/benchtestProcedure';
import { SIM_FAULTS, type SimFault } from '../../shared/contract';
import { nameplateSchema, type Nameplate } from '../../shared/twin';
import type { Certificate } from '../../shared/serialContract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { MotorDatabase } from '../store/database';
import type { TwinRegistry } from '../twin/twinRegistry';
import { SimulatedMotor } from '../sim/simulatedMotor';
import { packageRoot } from '../platform/paths';
import { BenchRun } from './benchRun';
import { gateDrive, type CommandGate } from './benchDrive';
import { BenchStore } from './benchStore';
import type { CalibrationStatus } from './criteria';
import { builtInProcedures, ProcedureError } from './procedureLoader';
import type { RunRecord } from './runRecord';
import { chromiumPdfPrinter, type PdfPrinter } from './pdf';
import { writeReport } from './reports';
import { DomainError } from '../platform/domainError';
import type { Log } from '../platform/log';

// The bench part of the engine: procedures (shipped and users' copies), runs against a simulated motor or
// a board already feeding the pipeline (USB serial or MQTT), and the stored runs the reports are made from.

/** The simulator's machine (motorModel DEFAULT_SPEC) as a nameplate; on resilient mounts as IEC 60034-14 tests. */
export const SIM_NAMEPLATE: Nameplate = nameplateSchema.parse({
  ratedKw: 7.5,
  ratedRpm: 1480,
  ratedVoltage: 400,
  ratedCurrent: 14.5,
  insulationClass: 'B',
  bearingDe: '6205',
  bearingNde: '6205',
  isoGroup: 2,
  foundation: 'flexible',
  manufacturer: 'MotorTwin simulator',
  model: 'SIM-132M',
});

const CERTIFICATE_VALID_MS = 365 * 24 * 3600_000;

export class BenchError extends DomainError {
  constructor(code: 'invalid' | 'not_found' | 'conflict', message: string) {
    super(code, message);
  }
}

export interface BenchDeps {
  db: MotorDatabase;
  log: Log;
  pipeline: IngestPipeline;
  twins: TwinRegistry;
  /** The broker address and, where it asks for logins, this simulated motor's own account. */
  broker: (deviceId: string) => { url: string; username?: string; password?: string };
  certificates: (deviceId: string) => Promise<Certificate[]>;
  onChange: (s: BenchRunState) => void;
  /** The command gate: speed steps and run-downs command the drive through it (none in a bare bench). */
  commands: CommandGate | null;
  dataDir: string;
  procedureDir?: string;
}

export class BenchService {
  readonly store: BenchStore;
  private readonly runs = new Map<string, BenchRun>();
  private readonly sims = new Map<string, SimulatedMotor>();
  private simCount = 0;
  /** Headless Chromium by default; the desktop shell can hand in Electron's printToPDF (src/main/app/pdfBridge.ts). */
  printer: PdfPrinter = chromiumPdfPrinter;

  constructor(private readonly deps: BenchDeps) {
    this.store = new BenchStore(deps.db);
  }

  private procedureDir(): string {
    if (this.deps.procedureDir) return this.deps.procedureDir;
    const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
    const packaged = resourcesPath ? join(resourcesPath, 'resources', 'procedures') : null;
    return packaged && existsSync(packaged) ? packaged : join(packageRoot(), 'resources', 'procedures');
  }

  /** Shipped procedures, then users' copies (a copy may not take a shipped one's name). */
  async procedures(): Promise<Array<{ procedure: Procedure; builtIn: boolean }>> {
    const shipped = builtInProcedures(this.procedureDir()).map((procedure) => ({ procedure, builtIn: true }));
    const own = (await this.store.procedures()).map((procedure) => ({ procedure, builtIn: false }));
    return [...shipped, ...own];
  }

  async procedure(name: string): Promise<Procedure> {
    const p = (await this.procedures()).find((x) => x.procedure.name === name);
    if (!p) throw new BenchError('not_found', `no procedure "${name}": known are ${(await this.procedures()).map((x) => x.procedure.name).join(', ')}`);
    return p.procedure;
  }

  async saveProcedure(p: Procedure): Promise<void> {
    if ((await this.procedures()).some((x) => x.builtIn && x.procedure.name === p.name)) {
      throw new BenchError('conflict', `"${p.name}" is a shipped procedure: save the copy under another name`);
    }
    await this.store.saveProcedure(p);
  }

  /** `opts.procedure` runs a procedure read from a file (the CLI) instead of one by name. */
  async start(params: BenchStart, opts: { autoConfirm?: boolean; procedure?: Procedure } = {}): Promise<BenchRun> {
    const req = benchStartSchema.parse(params);
    const procedure = opts.procedure ?? (await this.procedure(req.procedure));
    const earlier = await this.store.list({ serialNumber: req.serialNumber });
    if (earlier.length && !req.retest) {
      const e = earlier[0];
      throw new BenchError(
        'conflict',
        `serial number ${req.serialNumber} was already tested (run ${e.runId}, ${new Date(e.startedAt).toISOString()}, ${e.verdict}): open that report, or test again with retest`,
      );
    }
    let deviceId: string;
    let source: BenchSource;
    let nameplate: Nameplate;
    let calibration: CalibrationStatus;
    let certificates: Certificate[] = [];
    let speedup = 1;
    if (req.source.kind === 'sim') {
      const fault = req.source.fault;
      if (fault !== null && !SIM_FAULTS.includes(fault as SimFault)) throw new BenchError('invalid', `unknown fault "${fault}": the simulator knows ${SIM_FAULTS.join(', ')}`);
      speedup = req.source.speedup;
      deviceId = `bench_sim_${String(++this.simCount).padStart(2, '0')}`;
      while (this.deps.twins.get(deviceId)) deviceId = `bench_sim_${String(++this.simCount).padStart(2, '0')}`;
      source = { kind: 'sim', fault, speedup };
      nameplate = nameplateSchema.parse({ ...SIM_NAMEPLATE, ...given(req.nameplate), serialNumber: req.serialNumber });
      calibration = { state: 'sim', detail: 'simulated board: no calibration applies' };
    } else {
      deviceId = req.source.deviceId;
      const twin = this.deps.twins.get(deviceId);
      if (!twin) throw new BenchError('not_found', `no board "${deviceId}" is sending: connect it (USB serial or MQTT) first`);
      source = twin.source === 'serial' ? { kind: 'serial', path: twin.device.board ?? deviceId } : { kind: 'mqtt', deviceId };
      nameplate = nameplateSchema.parse({ ...twin.nameplate, ...given(req.nameplate), serialNumber: req.serialNumber });
      certificates = await this.deps.certificates(deviceId);
      calibration = calibrationStatus(certificates, twin.device.calibrationId);
    }
    const runId = `bt-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
    const twin = this.deps.twins.get(deviceId);
    const record: RunRecord = {
      runId,
      serialNumber: req.serialNumber,
      deviceId,
      nameplate,
      procedure,
      operator: req.operator,
      source,
      board: { fw: twin?.device.fw ?? (source.kind === 'sim' ? 'sim-1.0.0' : null), board: twin?.device.board ?? (source.kind === 'sim' ? 'simulator' : null), calibrationId: twin?.device.calibrationId ?? null },
      certificates,
      calibration,
      startedAt: Date.now(),
      endedAt: null,
      verdict: 'incomplete',
      criteria: [],
      steps: [],
      abortReason: null,
      warnings: calibration.state === 'missing' || calibration.state === 'expired' ? [calibration.detail] : [],
      plots: { spectrum: null, envelope: null },
    };
    if (earlier.length) record.warnings.push(`serial number tested before (${earlier.length} earlier run${earlier.length > 1 ? 's' : ''}, latest ${earlier[0].runId})`);
    const gate = this.deps.commands;
    const sim = req.source.kind === 'sim' ? this.createSim(deviceId, req.source.fault as SimFault | null, speedup, nameplate) : null;
    const run = new BenchRun({
      record,
      clock: sim ? () => sim.clockS : () => Date.now() / 1000,
      autoConfirm: opts.autoConfirm ?? false,
      store: this.store,
      rpm: () => this.deps.twins.get(deviceId)?.readings.rpm?.value ?? null,
      drive: gate ? gateDrive(gate, deviceId, req.operator) : undefined,
    });
    this.attach(run, deviceId);
    await sim?.start();
    this.runs.set(runId, run);
    run.start();
    return run;
  }

  private attach(run: BenchRun, deviceId: string): void {
    const onTelemetry = (p: { id: string; ts: number; values: Partial<Record<string, number | null>> }) => p.id === deviceId && run.onTelemetry(p.ts, p.values);
    const onWaveform = (w: { deviceId: string; ts: number; payload: Parameters<BenchRun['onWaveform']>[1] }) => {
      if (w.deviceId !== deviceId) return;
      try {
        run.onWaveform(w.ts, w.payload);
      } catch (e) {
        this.deps.log.warn({ deviceId, err: e }, `waveform from ${deviceId} not analysed`);
      }
    };
    this.deps.pipeline.on('telemetry', onTelemetry);
    this.deps.pipeline.on('waveform', onWaveform);
    run.on('change', (s) => this.deps.onChange(s));
    run.on('finished', () => {
      this.deps.pipeline.off('telemetry', onTelemetry);
      this.deps.pipeline.off('waveform', onWaveform);
      void this.stopSim(deviceId);
    });
  }

  private createSim(id: string, fault: SimFault | null, speedup: number, nameplate: Nameplate): SimulatedMotor {
    this.deps.twins.ensure(id, 'sim', true);
    // The command gate takes a set speed within the twin's rated speed. Only that: the full nameplate would
    // also arm the health rules (a speed step well below rated speed with current flowing looks like a stall).
    this.deps.twins.update({ id, nameplate: { ratedRpm: nameplate.ratedRpm } });
    const b = this.deps.broker(id);
    // Faster telemetry at a high speedup keeps the motor seconds between readings near 6 (within 5-20 Hz).
    const rateHz = Math.min(20, Math.max(5, Math.ceil(speedup / 6)));
    const motor = new SimulatedMotor({ id, brokerUrl: b.url, username: b.username, password: b.password, fault, rateHz, speedup, waveformEveryS: 0.5 });
    this.sims.set(id, motor);
    return motor;
  }

  private async stopSim(id: string): Promise<void> {
    const m = this.sims.get(id);
    this.sims.delete(id);
    await m?.stop();
  }

  get(runId: string): BenchRun {
    const r = this.runs.get(runId);
    if (!r) throw new BenchError('not_found', `no bench run "${runId}" in this session`);
    return r;
  }

  active(): BenchRun[] {
    return [...this.runs.values()];
  }

  /** Waits for a run to end (the CLI's headless run). */
  finished(run: BenchRun): Promise<RunRecord> {
    return run.done;
  }

  /** Writes a stored run's report (default: the data folder's reports/) and returns the file. */
  async report(runId: string, format: 'html' | 'pdf', file?: string): Promise<string> {
    const r = await this.store.run(runId);
    if (!r) throw new BenchError('not_found', `no finished bench run "${runId}"`);
    return writeReport(this.store, r, this.deps.dataDir, format, this.printer, file);
  }

  async close(): Promise<void> {
    for (const r of this.runs.values()) if (!r.isOver) r.abort('the engine shut down');
    await Promise.all([...this.sims.keys()].map((id) => this.stopSim(id)));
    await this.store.flush().catch((e) => this.deps.log.error({ err: e }, 'storing the bench test results failed'));
  }
}

/** The nameplate fields the operator filled in: an empty field keeps the motor's (or simulator's) value. */
const given = (np: Partial<Nameplate>) => Object.fromEntries(Object.entries(np).filter(([, v]) => v !== null && v !== undefined && v !== ''));

export function calibrationStatus(certs: Certificate[], boardCalibrationId: string | null, now = Date.now()): CalibrationStatus {
  if (!certs.length) return { state: 'missing', detail: `the board has no calibration certificate${boardCalibrationId ? ` (it reports calibration ${boardCalibrationId})` : ''}: readings are as the sensors give them` };
  const latest = certs.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  const expires = latest.createdAt + CERTIFICATE_VALID_MS;
  const list = certs.map((c) => `${c.sensor} ${c.id}`).join(', ');
  if (expires < now) return { state: 'expired', detail: `calibration expired ${new Date(expires).toISOString().slice(0, 10)} (certificates ${list})` };
  return { state: 'ok', detail: `certificates ${list}, valid until ${new Date(expires).toISOString().slice(0, 10)}` };
}

export { ProcedureError };
