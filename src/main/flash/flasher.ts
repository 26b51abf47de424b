import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ESPLoader, Transport } from 'esptool-js';
import type { FlashPhase } from '../../shared/serialContract';
import { inspectImage, type ImageInfo } from './image';
import { explainFlashError } from './flashErrors';
import { WebSerialAdapter } from './webSerialAdapter';

export interface FlashProgress {
  phase: FlashPhase;
  written: number;
  total: number;
  message: string;
  chip?: string;
}

export interface FlashOptions {
  path: string;
  image: Uint8Array;
  offset: number;
  /** Baud rate for the transfer, after syncing at the ROM's 115200. */
  baud?: number;
  usb?: { usbVendorId?: number; usbProductId?: number };
  nativeUsb?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: FlashProgress) => void;
  onLog?: (line: string) => void;
}

export interface FlashResult {
  chip: string;
  md5: string;
  bytes: number;
  image: ImageInfo;
  seconds: number;
  /** Time spent inside the serialport adapter (moving bytes between node streams and Web streams). */
  adapterMs: number;
  /** The port could not drive DTR/RTS, so the reset into the new firmware is up to the user. */
  resetUnsupported: boolean;
}

export class FlashError extends Error {}

const FLASH_SIZES: Record<string, number> = { '1MB': 1 << 20, '2MB': 2 << 20, '4MB': 4 << 20, '8MB': 8 << 20, '16MB': 16 << 20, '32MB': 32 << 20 };

/**
 * Writes an image with Espressif's esptool-js, as esptool does: reset into the bootloader, sync, detect
 * the chip, upload the flasher stub, write compressed blocks, verify by MD5, reset into the new firmware.
 */
export async function flashImage(opts: FlashOptions): Promise<FlashResult> {
  const image = inspectImage(opts.image, opts.offset);
  const started = performance.now();
  const progress = (phase: FlashPhase, message: string, written = 0, total = opts.image.length, chip?: string) =>
    opts.onProgress?.({ phase, written, total, message, chip });
  const adapter = new WebSerialAdapter(opts.path, opts.usb);
  let lost: string | null = null;
  let rejectStop: (e: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (rejectStop = reject));
  // Raced in every step below, which handles it; this only keeps it from counting as unhandled before then.
  stopped.catch(() => undefined);
  adapter.onLost((why) => {
    lost = why;
    rejectStop(new FlashError(`unplugged: ${why}`));
  });
  const onAbort = () => {
    rejectStop(new FlashError('cancelled'));
    adapter.abort();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Every step races the cancel button and the cable: esptool-js only notices either after its timeouts.
  const step = <T>(p: Promise<T>): Promise<T> => {
    // Once the race is lost to `stopped`, p's own later rejection has no one left to tell.
    p.catch(() => undefined);
    return Promise.race([p, stopped]);
  };
  const transport = new Transport(adapter as unknown as ConstructorParameters<typeof Transport>[0], false);
  // esptool-js prints read-loop notes to the console even with tracing off; they go to the log instead.
  transport.trace = (m: string) => opts.onLog?.(m);
  const log = (s: string) => {
    const line = s.replace(/\s+$/, '');
    if (line) opts.onLog?.(line);
  };
  const loader = new ESPLoader({
    transport,
    baudrate: opts.baud ?? 460800,
    romBaudrate: 115200,
    terminal: { clean: () => undefined, writeLine: log, write: log },
  });
  try {
    if (opts.signal?.aborted) throw new FlashError('cancelled');
    progress('connecting', 'resetting the board into its bootloader and syncing');
    const chip = await step(loader.main('default_reset'));
    if (adapter.signalsUnsupported) log(`note: this port cannot drive DTR/RTS (${adapter.signalsUnsupported}); the board had to be in download mode already`);
    progress('detecting', `found ${chip}`, 0, opts.image.length, chip);
    const family = loader.chip.CHIP_NAME;
    if (image.chip && image.chip !== family) {
      throw new FlashError(`wrong chip for this image: the image is built for ${image.chip} but the board is ${family}; build for ${family} or plug in the right board`);
    }
    const size = await step(loader.detectFlashSize());
    const flashBytes = size ? FLASH_SIZES[size] : undefined;
    if (flashBytes && opts.offset + opts.image.length > flashBytes) {
      throw new FlashError(`the image does not fit: ${opts.image.length} bytes at 0x${opts.offset.toString(16)} end past the board's ${size} flash`);
    }
    progress('erasing', 'erasing and writing', 0);
    let phase: FlashPhase = 'writing';
    await step(
      loader.writeFlash({
        fileArray: [{ data: opts.image, address: opts.offset }],
        flashMode: 'keep',
        flashFreq: 'keep',
        flashSize: 'keep',
        eraseAll: false,
        compress: true,
        reportProgress: (_i: number, sent: number, total: number) => {
          // esptool-js counts compressed bytes; the user thinks in image bytes.
          const written = Math.round((sent / Math.max(total, 1)) * opts.image.length);
          if (sent >= total) phase = 'verifying';
          progress(phase, phase === 'verifying' ? 'verifying by MD5' : `writing at 0x${(opts.offset + written).toString(16)}`, written);
        },
        calculateMD5Hash: (img: Uint8Array) => createHash('md5').update(img).digest('hex'),
      }),
    );
    const md5 = createHash('md5').update(padTo4(opts.image)).digest('hex');
    progress('resetting', 'resetting into the new firmware', opts.image.length);
    await step(loader.after('hard_reset'));
    await step(transport.disconnect());
    return {
      chip,
      md5,
      bytes: opts.image.length,
      image,
      seconds: (performance.now() - started) / 1000,
      adapterMs: adapter.stats.busyMs,
      resetUnsupported: adapter.signalsUnsupported !== null,
    };
  } catch (e) {
    adapter.abort();
    if (e instanceof FlashError && !/^unplugged:/.test(e.message)) throw e;
    throw new FlashError(explainFlashError(e, { lost, signalsUnsupported: adapter.signalsUnsupported, nativeUsb: opts.nativeUsb ?? false, path: opts.path }));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // The flash's own outcome is what the caller gets; a port that fails to close is released with the process.
    await adapter.close().catch(() => undefined);
  }
}

function padTo4(data: Uint8Array): Uint8Array {
  if (data.length % 4 === 0) return data;
  const out = new Uint8Array(data.length + (4 - (data.length % 4))).fill(0xff);
  out.set(data);
  return out;
}
