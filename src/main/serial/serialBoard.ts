import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { maskSecrets } from '../../shared/protocol/provisioning';
import { decodeCommand, decodeSerialLine } from '../../shared/protocol/decode';
import type { AckPayload } from '../../shared/protocol/schemas';
import type { SerialPortInfo } from '../../shared/serialContract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { TwinRegistry } from '../twin/twinRegistry';
import { ConsoleBuffer } from './consoleBuffer';
import { LineSplitter } from './lineSplitter';
import { PolledPort, type PortLink } from './polledPort';
import { explainOpenError, WRONG_BAUD_HINT } from './portErrors';

export type { PortLink };

export type PortOpener = (path: string, baud: number) => Promise<PortLink>;

export const openNodePort: PortOpener = (path, baud) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: baud, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(new PolledPort(port))));
  });

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab and CR: what a wrong baud rate turns text into.
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f]/g;
const GARBAGE_WINDOW = 50;
const COMMAND_TIMEOUT_MS = 5000;

type State = SerialPortInfo['state'];

export interface BoardEvents {
  changed: [];
  ack: [AckPayload];
  /** A status message arrived; carries its firmware version. */
  status: [string | undefined];
}

/**
 * One board on one serial port: reads NDJSON lines into the ingest pipeline (source "serial"), shows every
 * line in the port's console, and notices when the board is unplugged (its twin goes offline). Reopening is
 * the manager's job, since the board may come back under another path.
 */
export class SerialBoard extends EventEmitter<BoardEvents> {
  readonly console = new ConsoleBuffer();
  state: State = 'closed';
  deviceId: string | null = null;
  error: string | null = null;
  hint: string | null = null;
  lines = 0;
  garbageLines = 0;
  rejectedLines = 0;
  private recent: boolean[] = [];
  private recentBad = 0;
  private port: PortLink | null = null;
  private splitter = new LineSplitter();
  private pending = new Map<string, { resolve: (a: AckPayload) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    public path: string,
    public baud: number,
    private readonly pipeline: IngestPipeline,
    private readonly twins: TwinRegistry,
    private readonly opener: PortOpener = openNodePort,
  ) {
    super();
  }

  /** Opens the port; on failure the state is "error" with a message a person can act on, and it rethrows. */
  async open(): Promise<void> {
    if (this.port?.isOpen) return;
    this.setState('opening');
    try {
      const port = await this.opener(this.path, this.baud);
      this.attach(port);
      this.error = null;
      this.console.add('info', `opened ${this.path} at ${this.baud} baud`);
      this.setState('open');
    } catch (e) {
      this.error = explainOpenError(this.path, e);
      this.setState('error');
      throw new Error(this.error);
    }
  }

  private attach(port: PortLink): void {
    this.port = port;
    this.splitter = new LineSplitter();
    port.on('data', (chunk) => {
      for (const line of this.splitter.push(chunk)) this.onLine(line);
    });
    port.on('error', (e) => {
      this.error = e.message;
    });
    port.on('close', (err) => {
      if (this.port !== port) return;
      this.port = null;
      if (err?.disconnected || this.state === 'open') this.lost();
    });
  }

  /** The device node is gone while the port still looks open: unplugged, though no hangup was reported. */
  async vanished(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.lost();
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
  }

  private lost(): void {
    this.console.add('info', `${this.path} disconnected: waiting for the board to come back`);
    if (this.deviceId) this.twins.applyStatus(this.deviceId, { device_id: this.deviceId, state: 'offline' }, 'serial', Date.now());
    this.setState('reconnecting');
  }

  /** Closes the port. `release` keeps it wanted (a flash borrows it and gives it back). */
  async close(next: State = 'closed'): Promise<void> {
    const port = this.port;
    this.port = null;
    this.setState(next);
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    if (next === 'closed') {
      this.console.add('info', `closed ${this.path}`);
      this.console.stopLog();
      if (this.deviceId) this.twins.applyStatus(this.deviceId, { device_id: this.deviceId, state: 'offline' }, 'serial', Date.now());
    }
  }

  private onLine(raw: Buffer): void {
    this.lines++;
    let text: string;
    try {
      text = utf8.decode(raw).replace(/\r$/, '');
    } catch {
      this.countGarbage(true);
      this.console.add('rx', raw.toString('latin1').replace(/[^\x20-\x7e]/g, '.'), { hex: raw.toString('hex'), kind: 'garbage' });
      return;
    }
    const garbled = text.search(CONTROL) !== -1;
    this.countGarbage(garbled);
    if (garbled) {
      this.console.add('rx', text.replace(CONTROL, '.'), { hex: raw.toString('hex'), kind: 'garbage' });
      return;
    }
    // A known board's JSON over its ceiling is dropped before it is decoded, as on MQTT.
    if (this.deviceId && text.startsWith('{') && !this.pipeline.admit(this.deviceId)) {
      this.pipeline.counters.received++;
      return;
    }
    const decoded = decodeSerialLine(text, this.deviceId ?? undefined);
    if (decoded.kind === 'text') {
      this.console.add('rx', text, { kind: 'text' });
      return;
    }
    this.pipeline.counters.received++;
    if (decoded.kind === 'rejected') {
      this.rejectedLines++;
      this.console.add('rx', text, { kind: 'rejected' });
      this.pipeline.reject(decoded.deviceId ?? this.deviceId, 'serial', `serial:${this.path}`, decoded.reason, text);
      return;
    }
    this.console.add('rx', text, { kind: 'json' });
    const msg = decoded.message;
    const payloadId = 'device_id' in msg.payload ? msg.payload.device_id : undefined;
    if (!this.deviceId && payloadId) {
      this.deviceId = payloadId;
      this.emit('changed');
    }
    if (msg.kind === 'ack') this.onAck(msg.payload);
    if (msg.kind === 'status') this.emit('status', msg.payload.fw);
    if (this.deviceId) this.pipeline.accept(msg, this.deviceId, 'serial', `serial:${this.path}`, text);
  }

  private countGarbage(bad: boolean): void {
    if (bad) this.garbageLines++;
    // A running count over the last GARBAGE_WINDOW lines: this runs for every line at thousands a second.
    this.recent.push(bad);
    if (bad) this.recentBad++;
    if (this.recent.length > GARBAGE_WINDOW && this.recent.shift()) this.recentBad--;
    const hint = this.recent.length >= 5 && this.recentBad / this.recent.length > 0.3 ? WRONG_BAUD_HINT : null;
    if (hint !== this.hint) {
      this.hint = hint;
      this.emit('changed');
    }
  }

  private onAck(ack: AckPayload): void {
    this.emit('ack', ack);
    if (!ack.id || ack.status === 'received') return;
    const p = this.pending.get(ack.id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(ack.id);
      p.resolve(ack);
    }
  }

  /** Writes one line; `shown` replaces it in the console and its log when it holds secrets. */
  writeLine(line: string, shown = line): void {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`${this.path} is not open${this.state === 'flashing' ? ' (a flash is using it)' : ''}`);
    port.write(`${line}\n`);
    this.console.add('tx', shown);
  }

  /**
   * Sends CONFIG (firmware/README.md) and waits for its acknowledgement. The console shows the line with
   * its secrets masked; the firmware never echoes them either.
   */
  async configure(settings: Record<string, string>): Promise<AckPayload & { id: string }> {
    const id = `cfg-${Math.random().toString(16).slice(2, 10)}`;
    const line = JSON.stringify({ type: 'command', id, action: 'CONFIG', ...settings });
    return this.awaitAck(id, 'CONFIG', () => this.writeLine(line, maskSecrets(line)));
  }

  /** Sends a protocol command and waits for its final acknowledgement ("applied" or "rejected"). */
  async command(raw: Record<string, unknown>): Promise<AckPayload & { id: string }> {
    const decoded = decodeCommand(raw);
    if (!decoded.ok) throw new Error(`not a valid command: ${decoded.reason}`);
    const id = decoded.value.id ?? `cmd-${Math.random().toString(16).slice(2, 10)}`;
    const cmd = { type: 'command', ...decoded.value, id, issued_at: new Date().toISOString() };
    return this.awaitAck(id, decoded.value.action, () => this.writeLine(JSON.stringify(cmd)));
  }

  private async awaitAck(id: string, action: string, write: () => void): Promise<AckPayload & { id: string }> {
    const ack = new Promise<AckPayload>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no acknowledgement for ${action} within ${COMMAND_TIMEOUT_MS / 1000} s: is the firmware running and at the right baud rate?`));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve, timer });
    });
    try {
      write();
    } catch (e) {
      clearTimeout(this.pending.get(id)?.timer);
      this.pending.delete(id);
      throw e;
    }
    return { ...(await ack), id };
  }

  private setState(s: State): void {
    this.state = s;
    this.emit('changed');
  }
}
