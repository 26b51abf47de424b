import { isReadingName } from '../../shared/readings';
import type { DeclaredReading, ReadingMap } from '../../shared/twin';
import {
  modbusDeviceConfigSchema,
  type ModbusDeviceConfig,
  type ModbusDeviceConfigInput,
  type ModbusDeviceInfo,
  type ModbusEndpoint,
  type ModbusProfileInfo,
  type RegisterValue,
  type TestReadResult,
} from '../../shared/modbusContract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { TwinRegistry } from '../twin/twinRegistry';
import type { MotorDatabase } from '../store/database';
import { describeEndpoint } from './faults';
import type { ModbusLine } from './line';
import { deviceKey, ModbusDevice } from './device';
import { PollClock } from './pollClock';
import { describeIssues, loadProfile, shippedProfiles, shippedProfilesDir } from './profile';
import { DeclaredReadingsStore } from './declaredStore';
import type { SavedModbusDevices } from './savedDevices';
import { DomainError } from '../platform/domainError';
import type { Log } from '../platform/log';

/** A device configuration or profile that cannot be used; the message says which field and why. */
export class ModbusConfigError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

export interface ModbusDeps {
  pipeline: IngestPipeline;
  twins: TwinRegistry;
  db: MotorDatabase;
  log: Log;
  /** Where shipped profiles are looked up by name (default resources/modbus). */
  profilesDir?: string;
  /** The devices added from the UI, started again after a restart (none remembered without it). */
  saved?: SavedModbusDevices;
}

// One RS-485 adapter is one line whatever its settings; a TCP endpoint is one connection.
const lineKey = (e: ModbusEndpoint) => (e.kind === 'rtu' ? `rtu:${e.path}` : describeEndpoint(e));

/**
 * Drives and relays polled over Modbus: their lines, their polls, and what they read going into the twin
 * through the same ingest as a board's telemetry (validation, plausibility, storage, limits, rules).
 * Readings a profile declares beyond the twin's list go to the twin's declared readings and their own table.
 */
export class ModbusService {
  readonly declared: DeclaredReadingsStore;
  private readonly lines = new Map<string, ModbusLine>();
  private readonly devices = new Map<string, ModbusDevice>();
  private readonly clock = new PollClock();
  /** The configuration of each device a person added, by device key, as it is written to the saved file. */
  private readonly remembered = new Map<string, ModbusDeviceConfigInput>();
  /** Saved devices that did not start at the last start, each with the reason (also in the log). */
  readonly notRestored: string[] = [];
  private readonly profilesDir: string;

  /** Why ingest refused the message in hand (accept is synchronous: set between one poll's accept and its return). */
  private refused: string | null = null;

  constructor(private readonly deps: ModbusDeps) {
    this.declared = new DeclaredReadingsStore(deps.db, (e) => deps.log.error({ err: e }, 'storing declared readings failed'));
    deps.pipeline.on('rejected', (r) => (this.refused = r.reason));
    this.profilesDir = deps.profilesDir ?? shippedProfilesDir();
  }

  /** The command line's devices first (they win a clash), then those a person added before the restart. */
  async start(configs: readonly ModbusDeviceConfigInput[] = []): Promise<void> {
    this.declared.start();
    for (const c of configs) await this.add(c, { remember: false });
    const saved = this.deps.saved?.load();
    const notRestored = (what: string, e: Error) => {
      this.notRestored.push(`${what}: ${e.message}`);
      this.deps.log.error({ err: e }, what);
    };
    for (const problem of saved?.problems ?? []) notRestored('reading the saved Modbus devices', new Error(problem));
    for (const c of saved?.devices ?? []) {
      try {
        const info = await this.add(c, { remember: false });
        this.remembered.set(info.key, c);
      } catch (e) {
        // Kept in the file: the person may fix the profile or the port and restart; the log says why it is not polled.
        notRestored(`saved Modbus device ${JSON.stringify(c.id)} not started`, e as Error);
      }
    }
  }

  list(): ModbusDeviceInfo[] {
    return [...this.devices.values()].map((d) => d.info()).sort((a, b) => a.key.localeCompare(b.key));
  }

  profiles(): Promise<ModbusProfileInfo[]> {
    return shippedProfiles(this.profilesDir);
  }

  /** Adds and starts polling a device; one added by a person (the default) is remembered across restarts. */
  async add(input: ModbusDeviceConfigInput, opts: { remember?: boolean } = {}): Promise<ModbusDeviceInfo> {
    const { config, profile } = await this.resolve(input);
    const line = await this.lineFor(config.endpoint);
    const key = deviceKey(config, line.name);
    if (this.devices.has(key)) throw new ModbusConfigError(`${config.id} unit ${config.unit} on ${line.name} is already polled`);
    const device = new ModbusDevice(config, profile, line, { readings: (d, ts, values) => this.ingest(d, ts, values), state: (d, state, why) => this.onState(d, state, why) }, this.clock);
    line.users++;
    this.devices.set(key, device);
    // The motor is listed at once, before its drive first answers.
    this.deps.twins.ensure(config.id, 'modbus');
    device.start();
    if (opts.remember ?? true) {
      this.remembered.set(key, input);
      this.persist();
    }
    return device.info();
  }

  async remove(key: string): Promise<boolean> {
    const d = this.devices.get(key);
    if (!d) return false;
    d.stop();
    this.devices.delete(key);
    if (this.remembered.delete(key)) this.persist();
    await this.release(d.line);
    return true;
  }

  private persist(): void {
    const { saved } = this.deps;
    if (!saved) return;
    try {
      saved.save([...this.remembered.values()]);
    } catch (e) {
      // The device polls now; only its return after a restart is at stake, and the log says so.
      this.deps.log.error({ err: e }, `remembering the Modbus devices in ${saved.file} failed`);
    }
  }

  /** One poll of a device that is not added: raw and scaled values per register, or the reason there are none. */
  async testRead(input: ModbusDeviceConfigInput): Promise<TestReadResult> {
    const { config, profile } = await this.resolve(input);
    const line = await this.lineFor(config.endpoint);
    line.users++;
    const probe = new ModbusDevice(config, profile, line, { readings: () => undefined, state: () => undefined });
    const started = Date.now();
    try {
      const values = await probe.pollOnce();
      return { profile: profile.name, ms: Date.now() - started, values };
    } finally {
      await this.release(line);
    }
  }

  /** The Modbus devices of a motor that carry commands (a drive, sometimes a relay's STOP). */
  commandDevices(twinId: string): ModbusDevice[] {
    return [...this.devices.values()].filter((d) => d.config.id === twinId && d.profile.commands.length > 0);
  }

  async close(): Promise<void> {
    for (const d of this.devices.values()) d.stop();
    this.devices.clear();
    this.clock.close();
    for (const l of this.lines.values()) await l.close();
    this.lines.clear();
    await this.declared.close();
  }

  private async resolve(input: ModbusDeviceConfigInput): Promise<{ config: ModbusDeviceConfig; profile: Awaited<ReturnType<typeof loadProfile>> }> {
    const parsed = modbusDeviceConfigSchema.safeParse(input);
    if (!parsed.success) throw new ModbusConfigError(describeIssues(parsed.error));
    try {
      return { config: parsed.data, profile: await loadProfile(parsed.data.profile, this.profilesDir) };
    } catch (e) {
      throw new ModbusConfigError((e as Error).message);
    }
  }

  private async lineFor(endpoint: ModbusEndpoint): Promise<ModbusLine> {
    // modbus-serial loads with the first Modbus device, not with every engine (most have none).
    const { ModbusLine } = await import('./line');
    const key = lineKey(endpoint);
    const line = this.lines.get(key);
    if (!line) {
      const l = new ModbusLine(endpoint);
      this.lines.set(key, l);
      return l;
    }
    // Units on one RS-485 line share its speed and framing; a second setting would garble the first.
    if (line.name !== describeEndpoint(endpoint)) throw new ModbusConfigError(`${key} is already open as ${line.name}: every unit on a line uses the same settings`);
    return line;
  }

  private async release(line: ModbusLine): Promise<void> {
    line.users--;
    if (line.users > 0) return;
    this.lines.delete(lineKey(line.endpoint));
    await line.close();
  }

  /** A poll's values into the twin: its own readings through ingest, declared ones beside them. */
  private ingest(d: ModbusDevice, ts: number, values: RegisterValue[]): void {
    const id = d.config.id;
    const own: ReadingMap = {};
    const declared: Record<string, DeclaredReading> = {};
    for (const v of values) {
      const value = v.value !== null && Number.isFinite(v.value) ? v.value : null;
      if (isReadingName(v.reading)) own[v.reading] = value;
      else declared[v.reading] = { value, ts, unit: v.unit, label: v.label, text: v.text };
    }
    if (Object.keys(own).length) {
      const reason = this.ingestReadings(d, id, ts, own);
      // The twin trusts none of a message ingest refused, the declared readings of the same poll included.
      if (reason) {
        d.lastError = `readings refused by ingest: ${reason}`;
        d.lastErrorAt = Date.now();
        return;
      }
    }
    if (!Object.keys(declared).length) return;
    this.deps.twins.applyDeclared(id, declared, 'modbus', ts);
    this.declared.add({ deviceId: id, ts, readings: declared });
  }

  /**
   * A poll's own readings through ingest as the numbers they are (plausibility, twin, row, event), with no message
   * object to build and walk again, nor a duplicate check a poll without seq cannot match; why ingest refused them,
   * or null. The id was checked when the device was added.
   */
  private ingestReadings(d: ModbusDevice, id: string, ts: number, own: ReadingMap): string | null {
    const { pipeline } = this.deps;
    pipeline.counters.received++;
    if (!pipeline.admit(id)) return 'over the per-device message rate';
    const rejected = pipeline.counters.rejected;
    this.refused = null;
    pipeline.acceptReadings(id, ts, false, own, 'modbus', d.where, undefined, ts);
    return pipeline.counters.rejected > rejected ? (this.refused ?? 'refused') : null;
  }

  private onState(d: ModbusDevice, state: ModbusDeviceInfo['state'], why: string | null): void {
    this.deps.log[state === 'online' ? 'info' : 'warn']({ device: d.key, profile: d.profile.name, state }, `${d.key} (${d.profile.name}) ${state}${why ? `: ${why}` : ''}`);
    if (state !== 'offline') return;
    // The twin goes offline only when nothing else (its board, another drive) has been heard since this device last answered.
    const twin = this.deps.twins.get(d.config.id);
    const others = [...this.devices.values()].some((x) => x !== d && x.config.id === d.config.id && x.state === 'online');
    if (!twin || others || (twin.lastSeen ?? 0) > (d.lastAnswerAt ?? 0)) return;
    this.deps.pipeline.accept({ kind: 'status', payload: { device_id: d.config.id, state: 'offline' } }, d.config.id, 'modbus', d.where);
  }
}
