import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestPipeline } from '../ingest/pipeline';
import { TwinRegistry } from '../twin/twinRegistry';
import { RejectedLog } from '../store/rejectedLog';
import type { TelemetryRow, TelemetryWriter } from '../store/telemetryWriter';
import { REASON, mutate, mutationArb, telemetryArb } from '../../../tests/support/protocolArbitraries';
import { LineSplitter, MAX_LINE_BYTES } from './lineSplitter';
import { SerialBoard, type PortLink } from './serialBoard';
import type { ConsoleBuffer } from './consoleBuffer';

// Property-based tests of the serial reader: byte streams cut anywhere, broken UTF-8, lines that never end.

class FakePort extends EventEmitter {
  isOpen = true;
  write(): boolean {
    return true;
  }
  close(cb?: () => void): void {
    this.isOpen = false;
    cb?.();
  }
}

async function openBoard() {
  const twins = new TwinRegistry();
  const rows: TelemetryRow[] = [];
  const writer = { enqueue: (r: TelemetryRow) => rows.push(r) } as unknown as TelemetryWriter;
  const rejects = new RejectedLog(null);
  const pipeline = new IngestPipeline(twins, writer, rejects);
  const port = new FakePort();
  const board = new SerialBoard('/dev/ttyFUZZ', 115200, pipeline, twins, async () => port as unknown as PortLink);
  await board.open();
  return { board, port, rows, rejects, pipeline, feed: (b: Buffer) => port.emit('data', b) };
}

/** Characters the console holds: what its memory grows with. */
function consoleChars(c: ConsoleBuffer): number {
  return c.since(-1, Number.MAX_SAFE_INTEGER).reduce((n, l) => n + l.text.length + (l.hex?.length ?? 0), 0);
}

/** Cuts a buffer into chunks at the given fractions, as reads from a port arrive. */
function chunked(all: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * all.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const a of at) {
    out.push(all.subarray(start, a));
    start = a;
  }
  out.push(all.subarray(start));
  return out;
}

const NOW = Date.now();
const noise = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from([0xe2, 0x82]), Buffer.from('ets Jun  8 2016 00:22:57\r\n'), Buffer.from('{"type":"telemetry"\n'), Buffer.from('\r\n\n')),
  telemetryArb(NOW).chain((t) => fc.array(mutationArb, { minLength: 1, maxLength: 3 }).map((ms) => Buffer.concat([mutate({ type: 'telemetry', ...t, device_id: 'fuzz_1' }, ms), Buffer.from('\n')]))),
);

describe('LineSplitter under fuzzing', () => {
  it('yields the same lines however the stream is cut into reads', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }), (parts, cuts) => {
        const all = Buffer.concat(parts.map((p) => Buffer.from(p)));
        const s = new LineSplitter();
        const lines = chunked(all, cuts).flatMap((c) => s.push(c)).map((l) => l.toString('hex'));
        const expected = all.toString('latin1').split('\n').slice(0, -1).map((l) => Buffer.from(l, 'latin1').toString('hex'));
        expect(lines).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('never holds more than one line of bytes, however long a line runs without a newline', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 80 }), (sizes) => {
        const s = new LineSplitter();
        let out = 0;
        let fed = 0;
        for (const n of sizes) {
          fed += n;
          for (const l of s.push(Buffer.alloc(n, 0x41))) {
            expect(l.length).toBeLessThanOrEqual(MAX_LINE_BYTES + 40_000);
            out += l.length;
          }
          // What is not out yet is held: under one line's limit.
          expect(fed - out).toBeLessThan(MAX_LINE_BYTES);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('SerialBoard under fuzzing', () => {
  it('never throws on any stream; valid telemetry in it is all ingested; every rejection has a reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(noise, fc.constant(null)), { minLength: 1, maxLength: 30 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        async (items, cuts) => {
          const { board, rows, rejects, feed } = await openBoard();
          // Valid readings of one board, interleaved with the noise (a null marks where one goes).
          // Their seq is far above what the noise carries, so no noise line can pass for one of them.
          const FIRST = 2 ** 50;
          let seq = 0;
          const stream = Buffer.concat(
            items.map((it) => (it === null ? Buffer.from(`\n${JSON.stringify({ type: 'telemetry', device_id: 'fuzz_1', seq: FIRST + seq++, temperature: 40 })}\n`) : it)),
          );
          // The board names itself first, as the firmware's status line does at boot.
          const hello = Buffer.from('{"type":"status","device_id":"fuzz_1","state":"online"}\n');
          for (const c of chunked(Buffer.concat([hello, stream]), cuts)) feed(c);
          const valid = rows.filter((r) => r.deviceId === 'fuzz_1' && (r.seq ?? 0) >= FIRST).map((r) => r.seq);
          expect(new Set(valid).size).toBe(seq);
          for (const r of rejects.list(1000)) expect(r.reason).toMatch(REASON);
          expect(board.lines).toBeGreaterThanOrEqual(seq);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps memory bounded on megabytes without a newline, text or broken UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0x41, 0xff, 0xe2), fc.integer({ min: 512, max: 8192 }), async (byte, chunk) => {
        const { board, feed } = await openBoard();
        const block = Buffer.alloc(chunk, byte);
        // 8 MB, no newline at all.
        for (let fed = 0; fed < 8 * 2 ** 20; fed += chunk) feed(block);
        expect(consoleChars(board.console), 'characters the console holds').toBeLessThan(2 * 2 ** 20);
        feed(Buffer.from('\n{"type":"telemetry","device_id":"after","temperature":1}\n'));
        expect(board.deviceId).toBe('after');
      }),
      { numRuns: 4 },
    );
  });
});
