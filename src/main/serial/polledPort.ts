import { EventEmitter } from 'node:events';
import { readSync } from 'node:fs';
import type { SerialPort } from 'serialport';

/** The part of a node serialport the board uses (a fake one in unit tests). */
export interface PortLink {
  write(data: string | Buffer, cb?: (err: Error | null | undefined) => void): boolean;
  close(cb?: (err: Error | null) => void): void;
  on(event: 'data', l: (chunk: Buffer) => void): this;
  on(event: 'close', l: (err?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', l: (err: Error) => void): this;
  readonly isOpen: boolean;
}

/** The binding's view of a Unix port (Linux and macOS): its descriptor and the poller serialport waits on. */
interface PollableBinding {
  fd: number | null;
  poller: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
}

const isPollable = (b: unknown): b is PollableBinding =>
  typeof b === 'object' && b !== null && 'poller' in b && 'fd' in b && typeof (b as PollableBinding).fd === 'number';

const TRY_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

/**
 * An open serialport whose bytes are read on the event loop: it waits on the binding's poller (epoll, kqueue) and
 * then reads what is there with one read(2) on the non-blocking descriptor. serialport's stream reads through
 * libuv's thread pool, and reads once more before waiting (an EAGAIN error built each time, then the wait, then
 * another pooled read): at 2,000 lines/s that costs about 3x the CPU of reading this way. Where the binding has
 * no poller (Windows) the stream's own 'data' is passed on. Writing and closing are the stream's.
 *
 * A chunk is only valid during its 'data' listeners (the buffer is reused): the line splitter copies what it keeps.
 */
export class PolledPort extends EventEmitter implements PortLink {
  private readonly buffer = Buffer.allocUnsafe(64 * 1024);
  private reading = false;

  constructor(private readonly port: SerialPort) {
    super();
    port.on('error', (e) => this.emit('error', e));
    port.on('close', (err?: Error) => this.emit('close', err));
    // Reading starts with the first reader, as a stream's flowing mode does: no byte goes to nobody.
    this.on('newListener', (event) => {
      if (event === 'data') this.startReading();
    });
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  write(data: string | Buffer, cb?: (err: Error | null | undefined) => void): boolean {
    return this.port.write(data, cb);
  }

  close(cb?: (err: Error | null) => void): void {
    this.port.close(cb);
  }

  private startReading(): void {
    if (this.reading) return;
    this.reading = true;
    const binding = this.port.port;
    if (isPollable(binding)) this.awaitReadable(binding);
    else this.port.on('data', (chunk: Buffer) => this.emit('data', chunk));
  }

  private awaitReadable(binding: PollableBinding): void {
    binding.poller.once('readable', (err) => {
      // The poller is cancelled when the port closes: the close event says so already.
      if (err && (err as Error & { canceled?: boolean }).canceled) return;
      if (err) return this.hangUp(err);
      if (binding.fd === null) return;
      let n: number;
      try {
        n = readSync(binding.fd, this.buffer, 0, this.buffer.length, null);
      } catch (e) {
        if (TRY_AGAIN.has((e as NodeJS.ErrnoException).code ?? '')) return this.awaitReadable(binding);
        return this.hangUp(e as Error);
      }
      // Readable with nothing to read is a hung-up terminal (USB pulled); a pty whose other end closed says EIO.
      if (n === 0) return this.hangUp(new Error('the port hung up'));
      this.awaitReadable(binding);
      this.emit('data', this.buffer.subarray(0, n));
    });
  }

  /** As serialport's stream does on a failed read: close, with an error that says the device went away. */
  private hangUp(cause: Error): void {
    if (!this.port.isOpen) return;
    this.port.close(undefined, Object.assign(new Error(`disconnected: ${cause.message}`), { disconnected: true }));
  }
}
