import { decodeDeviceMessage } from '../src/shared/protocol/decode';
import { median, round, type Figure } from './figure';

// What decoding one telemetry message costs (bytes to a checked message with its time), against the floor
// any decoder pays: the same bytes to a string and through JSON.parse. Payloads as the simulator and the
// bench publisher send them, 50 devices; interleaved runs, median of the pairs' ratios (robust to a machine
// whose load drifts). The decode runs for every message `serve` takes in.

const DEVICES = 50;

function payloads(count: number, now: number): Array<{ id: string; raw: Buffer }> {
  return Array.from({ length: count }, (_, i) => {
    const id = `motor_${i % DEVICES}`;
    const timestamp = new Date(now - 1000 + (i % 500)).toISOString();
    const message =
      i % 2
        ? { device_id: id, seq: i, temperature: 50 + (i % 100) / 10, vibration: 0.031, rpm: 1480, timestamp }
        : { device_id: id, timestamp, seq: i, uptime_s: 12.3 + i / 10, temperature: 61.23, vibration: 0.0312, rpm: 1478.3, ambient: 24.1, current: 7.42, vib_velocity: 1.234, vib_peak: 0.0441 };
    return { id, raw: Buffer.from(JSON.stringify(message)) };
  });
}

/** Nanoseconds per message of one pass over the payloads. */
function timed(messages: Array<{ id: string; raw: Buffer }>, each: (m: { id: string; raw: Buffer }) => boolean): number {
  let kept = 0;
  const start = process.hrtime.bigint();
  for (const m of messages) if (each(m)) kept++;
  const ns = Number(process.hrtime.bigint() - start) / messages.length;
  if (kept !== messages.length) throw new Error(`decode bench: only ${kept} of ${messages.length} messages decoded`);
  return ns;
}

export async function benchDecode(opts: { quick: boolean }): Promise<Figure[]> {
  const now = Date.now();
  const messages = payloads(20_000, now);
  const text = new TextDecoder('utf-8', { fatal: true });
  const decode = (m: { id: string; raw: Buffer }) => decodeDeviceMessage('telemetry', m.raw, m.id, now).ok;
  const floor = (m: { id: string; raw: Buffer }) => typeof JSON.parse(text.decode(m.raw)) === 'object';
  // Warm up both sides, so that neither is timed while V8 still compiles it.
  for (let i = 0; i < 3; i++) {
    timed(messages, decode);
    timed(messages, floor);
  }
  const runs = opts.quick ? 8 : 30;
  const decodeNs: number[] = [];
  const floorNs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < runs; r++) {
    const d = timed(messages, decode);
    const f = timed(messages, floor);
    decodeNs.push(d);
    floorNs.push(f);
    ratios.push(d / f);
  }
  const ratio = round(median(ratios));
  return [
    {
      name: 'decode_telemetry_per_message',
      value: round(median(decodeNs), 0),
      unit: 'ns',
      baseline: round(median(floorNs), 0),
      baselineName: 'the same bytes to a string and through JSON.parse',
      ratio,
      goal: 'at most 2.5x the bytes-to-object floor',
      pass: ratio <= 2.5,
    },
  ];
}
