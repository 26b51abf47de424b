import type ModbusRTU from 'modbus-serial';
import type { ModbusCounts, ModbusDeviceConfig, ModbusDeviceInfo, ModbusTable, RegisterValue } from '../../shared/modbusContract';
import { classify, ModbusFault } from './faults';
import type { ModbusLine } from './line';
import type { PollClock } from './pollClock';
import { wordsOf, type Profile, type ProfileCommand, type ProfileRegister } from './profile';
import { encodeValue, labelOf, planBlocks, scaled, sliceOf, unitOf, type Block } from './registers';

export interface DeviceEvents {
  /** A poll that got answers: every register's value, or its exception. */
  readings(device: ModbusDevice, ts: number, values: RegisterValue[]): void;
  /** Online after answering, offline after a poll with no answer (all retries spent). */
  state(device: ModbusDevice, state: ModbusDeviceInfo['state'], why: string | null): void;
}

type RegisterDescription = Pick<RegisterValue, 'reading' | 'label' | 'table' | 'address' | 'type' | 'unit'>;

export function deviceKey(config: ModbusDeviceConfig, lineName: string): string {
  return `${config.id}@${lineName}#${config.unit}`;
}

/**
 * One drive or relay: one unit id on a line, read by its profile every interval. A request that gets no
 * answer or a broken one is tried again up to `retries` times; an exception is the device's answer and is
 * not. Exceptions make the registers concerned null with their meaning; a poll left without any answer takes
 * the device offline until it answers again.
 */
export class ModbusDevice {
  readonly key: string;
  /** Where its readings come from, as ingest and Rejected name it. */
  readonly where: string;
  state: ModbusDeviceInfo['state'] = 'connecting';
  lastError: string | null = null;
  lastErrorAt: number | null = null;
  lastPollAt: number | null = null;
  /** When the device last answered a poll (the twin is not taken offline for a device other sources outlive). */
  lastAnswerAt: number | null = null;
  values: RegisterValue[] = [];
  private readonly counts = { polls: 0, failedPolls: 0, exceptions: 0, timeouts: 0, crcErrors: 0, wrongUnit: 0, shortFrames: 0, garbage: 0 };
  private readonly blocks: Block[];
  private readonly descriptions = new Map<ProfileRegister, RegisterDescription>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private leaveClock: (() => void) | null = null;
  private stopped = true;
  private polling = false;
  /** The clock said "due" while a poll was still running: the next one starts as soon as it ends. */
  private overran = false;
  private lastStart = 0;

  /** `clock`: the shared clock TCP devices are polled on (RS-485 units keep their own turn; see tick). */
  constructor(
    readonly config: ModbusDeviceConfig,
    readonly profile: Profile,
    readonly line: ModbusLine,
    private readonly events: DeviceEvents,
    private readonly clock: PollClock | null = null,
  ) {
    this.key = deviceKey(config, line.name);
    this.where = `modbus:${this.key}`;
    this.blocks = planBlocks(profile.registers);
  }

  start(): void {
    this.stopped = false;
    this.polling = false;
    this.schedule(0);
    if (this.clock && this.line.endpoint.kind === 'tcp') this.leaveClock = this.clock.join(this.config.intervalMs, () => this.due());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.leaveClock?.();
    this.leaveClock = null;
  }

  /** Reads every register once. Throws a ModbusFault when no request got an answer. */
  async pollOnce(): Promise<RegisterValue[]> {
    const values: RegisterValue[] = [];
    let answered = false;
    let lastFault: ModbusFault | null = null;
    for (const block of [...this.blocks]) {
      try {
        const data = await this.request(block.table, block.from, (c) => readBlock(c, block));
        answered = true;
        for (const r of block.registers) values.push(this.valueOf(r, sliceOf(block, r, data)));
      } catch (e) {
        const fault = classify(e, { table: block.table, address: block.from, timeoutMs: this.config.timeoutMs });
        // The device said no (exception): the registers have no value, and the next block is still worth asking.
        if (fault.kind === 'exception') answered = true;
        else if (!answered) throw fault;
        if (fault.refusedAddress && block.count > wordsOf(block.table, block.registers[0].type)) {
          lastFault = (await this.readOneByOne(block, values)) ?? lastFault;
          continue;
        }
        lastFault = fault;
        for (const r of block.registers) values.push(this.failed(r, fault));
      }
    }
    if (lastFault) this.noteError(lastFault.message);
    return values;
  }

  /** The requests a poll makes now: table, first address and count of each. */
  plan(): Array<Pick<Block, 'table' | 'from' | 'count'>> {
    return this.blocks.map(({ table, from, count }) => ({ table, from, count }));
  }

  /**
   * A read of several registers the device refused by address (one of them, or an address between them, it does not
   * have): each register is read on its own, so the refusal names the exact register and the others keep their
   * values. From then on the block is read as runs of adjacent registers the device answered, and each refused
   * register alone, so the next polls cost neither the refused read nor this search again.
   */
  private async readOneByOne(block: Block, values: RegisterValue[]): Promise<ModbusFault | null> {
    const answered: ProfileRegister[] = [];
    const refused: ProfileRegister[] = [];
    let lastFault: ModbusFault | null = null;
    for (const r of block.registers) {
      const single: Block = { table: r.table, from: r.address, count: wordsOf(r.table, r.type), registers: [r] };
      try {
        values.push(this.valueOf(r, await this.request(r.table, r.address, (c) => readBlock(c, single))));
        answered.push(r);
      } catch (e) {
        lastFault = classify(e, { table: r.table, address: r.address, timeoutMs: this.config.timeoutMs });
        values.push(this.failed(r, lastFault));
        (lastFault.refusedAddress ? refused : answered).push(r);
      }
    }
    const at = this.blocks.indexOf(block);
    if (at >= 0) this.blocks.splice(at, 1, ...planBlocks(answered, 0), ...refused.map((r) => planBlocks([r], 0)[0]));
    return lastFault;
  }

  private valueOf(r: ProfileRegister, raw: number[]): RegisterValue {
    const { value, text } = scaled(r, raw);
    const w = this.described(r);
    return { reading: w.reading, label: w.label, table: w.table, address: w.address, type: w.type, unit: w.unit, raw, value, text, error: null };
  }

  private failed(r: ProfileRegister, fault: ModbusFault): RegisterValue {
    return { ...this.described(r), raw: [], value: null, text: null, error: fault.message };
  }

  /** Writes a command's words or bit through the line's queue, between polls. */
  async write(cmd: ProfileCommand, raw: number): Promise<number[]> {
    const words = cmd.table === 'coil' ? [raw] : encodeValue(raw, cmd.type, cmd.wordOrder);
    await this.request(cmd.table, cmd.address, async (c) => {
      if (cmd.table === 'coil') await c.writeCoil(cmd.address, raw === 1);
      else if (words.length === 1) await c.writeRegister(cmd.address, words[0]);
      else await c.writeRegisters(cmd.address, words);
    });
    return words;
  }

  /** What the device holds at a command's address now. */
  readBack(cmd: ProfileCommand, count: number): Promise<number[]> {
    return this.request(cmd.table, cmd.address, (c) => readBlock(c, { table: cmd.table, from: cmd.address, count, registers: [] }));
  }

  info(): ModbusDeviceInfo {
    return {
      key: this.key,
      id: this.config.id,
      endpoint: this.line.name,
      unit: this.config.unit,
      profile: this.profile.name,
      intervalMs: this.config.intervalMs,
      state: this.state,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastPollAt: this.lastPollAt,
      counts: this.countsNow(),
      values: this.values,
      commands: this.profile.commands.map((c) => c.action),
    };
  }

  countsNow(): ModbusCounts {
    // Frames an RS-485 line refused are counted by the line, per unit asked.
    const line = this.line.problemsOf(this.config.unit);
    const c = this.counts;
    return { ...c, crcErrors: c.crcErrors + line.crcErrors, wrongUnit: c.wrongUnit + line.wrongUnit, shortFrames: c.shortFrames + line.shortFrames, garbage: c.garbage + line.garbage };
  }

  /** What a register is, worked out once per profile register rather than on every poll. */
  private described(r: ProfileRegister): RegisterDescription {
    let d = this.descriptions.get(r);
    if (!d) this.descriptions.set(r, (d = { reading: r.reading, label: labelOf(r), table: r.table, address: r.address, type: r.type ?? 'uint16', unit: unitOf(r) }));
    return d;
  }

  private async request<T>(table: ModbusTable, address: number, fn: (c: ModbusRTU) => Promise<T>): Promise<T> {
    let fault: ModbusFault | null = null;
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      try {
        return await this.line.run(this.config.unit, this.config.timeoutMs, fn);
      } catch (e) {
        fault = classify(e, { table, address, timeoutMs: this.config.timeoutMs });
        if (fault.kind === 'exception') this.counts.exceptions++;
        else if (fault.kind === 'timeout') this.counts.timeouts++;
        else if (fault.kind !== 'connection') this.counts[fault.kind]++;
        if (!fault.retriable) break;
      }
    }
    throw fault ?? new ModbusFault('connection', 'no attempt made');
  }

  private noteError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = Date.now();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  /** The shared clock's turn: poll, unless the first poll ran less than half an interval ago or one is still running. */
  private due(): void {
    if (this.polling) this.overran = true;
    else if (Date.now() - this.lastStart >= this.config.intervalMs / 2) void this.tick();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const started = (this.lastStart = Date.now());
    this.polling = true;
    this.counts.polls++;
    try {
      const values = await this.pollOnce();
      if (this.stopped) return;
      this.values = values;
      this.lastPollAt = Date.now();
      if (this.state !== 'online') this.setState('online', null);
      this.events.readings(this, this.lastPollAt, values);
      // After ingest stamped the twin: a twin heard later than this was heard from someone else.
      this.lastAnswerAt = Date.now();
    } catch (e) {
      if (this.stopped) return;
      const fault = e instanceof ModbusFault ? e : new ModbusFault('connection', (e as Error).message);
      this.counts.failedPolls++;
      this.lastPollAt = Date.now();
      this.noteError(fault.message);
      if (this.state !== 'offline') this.setState('offline', fault.message);
    }
    this.polling = false;
    if (this.leaveClock) {
      // A poll that overran its interval: the next starts at once, then the clock's turns again.
      if (this.overran) this.schedule(0);
      this.overran = false;
      return;
    }
    // Units on one RS-485 line take turns anyway, and back to back a broken unit's late bytes would land in the next
    // unit's answer: there the next poll starts one interval after this one started.
    this.schedule(Math.max(0, started + this.config.intervalMs - Date.now()));
  }

  private setState(state: ModbusDeviceInfo['state'], why: string | null): void {
    this.state = state;
    this.events.state(this, state, why);
  }
}

async function readBlock(c: ModbusRTU, block: Block): Promise<number[]> {
  switch (block.table) {
    case 'holding':
      return (await c.readHoldingRegisters(block.from, block.count)).data;
    case 'input':
      return (await c.readInputRegisters(block.from, block.count)).data;
    case 'coil':
      return (await c.readCoils(block.from, block.count)).data.slice(0, block.count).map(Number);
    case 'discrete':
      return (await c.readDiscreteInputs(block.from, block.count)).data.slice(0, block.count).map(Number);
  }
}
