import ModbusRTU from 'modbus-serial';
import type { ModbusEndpoint } from '../../shared/modbusContract';
import { RtuFramePort } from './rtuPort';
import { describeEndpoint, ModbusFault, type ProblemCounts } from './faults';

// One connection to Modbus devices: a TCP socket to a drive or gateway, or one RS-485 line. Everything on it
// (polls of every unit, test reads, command writes) goes through one queue, one transaction at a time: an
// RTU line is half duplex and a second master's frame would collide with the first.

const RECONNECT_AFTER_MS = 1000;

export class ModbusLine {
  readonly name: string;
  private client: ModbusRTU | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private lastFailure: { at: number; message: string } | null = null;
  private readonly problems = new Map<number, ProblemCounts>();
  private closed = false;
  /** Devices using the line; it is closed with the last one. */
  users = 0;

  constructor(readonly endpoint: ModbusEndpoint) {
    this.name = describeEndpoint(endpoint);
  }

  /** Runs one transaction for a unit after every one queued before it; a failure does not stop the queue. */
  run<T>(unit: number, timeoutMs: number, fn: (client: ModbusRTU) => Promise<T>): Promise<T> {
    const next = this.tail.then(async () => {
      const client = await this.connect(timeoutMs);
      client.setID(unit);
      client.setTimeout(timeoutMs);
      return fn(client);
    });
    this.tail = next.catch(() => undefined); // the caller gets the error; the queue only needs to move on
    return next;
  }

  problemsOf(unit: number): ProblemCounts {
    return { ...(this.problems.get(unit) ?? { crcErrors: 0, wrongUnit: 0, shortFrames: 0, garbage: 0 }) };
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = null;
    if (c) await new Promise<void>((resolve) => c.close(() => resolve()));
  }

  private async connect(timeoutMs: number): Promise<ModbusRTU> {
    if (this.closed) throw new ModbusFault('connection', `${this.name} is closed`);
    if (this.client?.isOpen) return this.client;
    this.client = null;
    // Without this, every unit's poll would knock on a dead gateway or a missing adapter again at once.
    if (this.lastFailure && Date.now() - this.lastFailure.at < RECONNECT_AFTER_MS) throw new ModbusFault('connection', this.lastFailure.message);
    try {
      const client = this.endpoint.kind === 'tcp' ? await this.openTcp(Math.max(timeoutMs, 2000)) : await this.openRtu();
      client.on('close', () => {
        if (this.client === client) this.client = null;
      });
      this.client = client;
      this.lastFailure = null;
      return client;
    } catch (e) {
      const message = `cannot open ${this.name}: ${(e as Error).message || String(e)}`;
      this.lastFailure = { at: Date.now(), message };
      throw new ModbusFault('connection', message);
    }
  }

  private async openTcp(connectMs: number): Promise<ModbusRTU> {
    const e = this.endpoint as Extract<ModbusEndpoint, { kind: 'tcp' }>;
    const client = new ModbusRTU();
    // A port error after connecting (reset by peer) also closes it; the next request reconnects.
    client.on('error', () => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        client.destroy(() => undefined);
        reject(new Error(`no connection within ${connectMs} ms`));
      }, connectMs);
    });
    try {
      await Promise.race([client.connectTCP(e.host, { port: e.port }), timedOut]);
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  private async openRtu(): Promise<ModbusRTU> {
    const port = new RtuFramePort(this.endpoint as Extract<ModbusEndpoint, { kind: 'rtu' }>);
    port.on('problem', (unit, kind) => {
      const counts = this.problems.get(unit) ?? { crcErrors: 0, wrongUnit: 0, shortFrames: 0, garbage: 0 };
      counts[kind]++;
      this.problems.set(unit, counts);
    });
    const client = new ModbusRTU(port);
    // Port errors (an unplugged adapter) close the port; the next request reopens it.
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => client.open((err: Error | null) => (err ? reject(err) : resolve())));
    return client;
  }
}
