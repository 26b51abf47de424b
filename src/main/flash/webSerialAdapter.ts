import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';

/**
 * Makes a node `serialport` look like the Web Serial `SerialPort` that esptool-js's Transport drives:
 * open/close, a ReadableStream and a WritableStream of bytes, setSignals, getInfo and setBaudRate.
 * It also keeps what esptool-js cannot: whether the port can drive DTR/RTS at all (a pseudo-terminal
 * cannot), whether the board vanished mid-way, and how much time the adapter itself spends.
 */
export class WebSerialAdapter {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  /** Set when DTR/RTS cannot be driven: the automatic reset into the bootloader is not possible. */
  signalsUnsupported: string | null = null;
  readonly stats = { bytesIn: 0, bytesOut: 0, busyMs: 0 };
  private port: SerialPort | null = null;
  private lostHandlers: Array<(why: string) => void> = [];
  private closing = false;

  constructor(
    readonly path: string,
    private readonly info: { usbVendorId?: number; usbProductId?: number } = {},
  ) {}

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return this.info;
  }

  /** Called once if the port goes away while open (unplugged, or the OS closed it). */
  onLost(handler: (why: string) => void): void {
    this.lostHandlers.push(handler);
  }

  async open(options: { baudRate: number }): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: options.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    this.port = port;
    this.closing = false;
    // Read errors after a close or an unplug ("Canceled") surface as the lost or timed-out reads esptool-js sees.
    port.on('error', () => undefined);
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        port.on('data', (chunk: Buffer) => {
          const t = performance.now();
          this.stats.bytesIn += chunk.length;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          this.stats.busyMs += performance.now() - t;
        });
        port.on('close', (err?: Error & { disconnected?: boolean }) => {
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
          if (!this.closing) this.lostHandlers.forEach((h) => h(err?.message ?? 'the port closed'));
        });
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          const t = performance.now();
          this.stats.bytesOut += chunk.length;
          port.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length), (err) => (err ? reject(err) : resolve()));
          this.stats.busyMs += performance.now() - t;
        }),
    });
  }

  async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void> {
    const port = this.port;
    if (!port || this.signalsUnsupported) return;
    const set: { dtr?: boolean; rts?: boolean; brk?: boolean } = {};
    if (signals.dataTerminalReady !== undefined) set.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) set.rts = signals.requestToSend;
    if (signals.break !== undefined) set.brk = signals.break;
    await new Promise<void>((resolve) =>
      port.set(set, (err) => {
        // A pseudo-terminal (and some adapters) has no modem lines: say so once and carry on, so that a
        // board already in download mode can still be flashed instead of the flash hanging here.
        if (err) this.signalsUnsupported = err.message;
        resolve();
      }),
    );
  }

  async setBaudRate(baudRate: number): Promise<void> {
    const port = this.port;
    if (!port) throw new Error('port not open');
    await new Promise<void>((resolve, reject) => port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.closing = true;
    this.readable = null;
    this.writable = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Drops the port at once (cancel): pending reads fail and esptool-js gives up. */
  abort(): void {
    const port = this.port;
    this.closing = true;
    if (port?.isOpen) port.close();
  }
}
