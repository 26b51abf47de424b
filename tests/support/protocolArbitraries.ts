// Test fixture: fast-check arbitraries for every device message of PROTOCOL.md, valid ones and mutated
// ones, shared by the unit fuzz tests beside the decoders and the end-to-end fuzz tests in tests/.
import fc from 'fast-check';
import { READING_NAMES } from '../../src/shared/readings';
import { COMMAND_ACTIONS } from '../../src/shared/protocol/commands';
import { ACK_STATUSES } from '../../src/shared/protocol/schemas';

/** Every reason a decoder gives starts with one of these keywords (PROTOCOL.md's golden vectors name them). */
export const REASON = /^(size|json|type|missing|device_id|range|encoding|status|action|topic|timestamp|length): \S/;

export const deviceIdArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);

/** A reading as a board sends it: a finite number or null. */
export const readingArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.constant(null),
);

/** A device time that is plausible now: within the last day, or a little ahead of our clock. */
export const timestampArb = (now: number) => fc.integer({ min: now - 24 * 3600_000, max: now + 60_000 }).map((t) => new Date(t).toISOString());

export function telemetryArb(now: number, deviceId?: fc.Arbitrary<string>) {
  const readings = Object.fromEntries(READING_NAMES.map((n) => [n, readingArb]));
  return fc.record(
    { device_id: deviceId ?? deviceIdArb, seq: fc.nat({ max: 2 ** 31 }), timestamp: timestampArb(now), ...readings },
    { requiredKeys: ['device_id'] },
  );
}

export const statusArb = fc.record(
  {
    device_id: deviceIdArb,
    state: fc.constantFrom('online', 'offline'),
    fw: fc.string({ maxLength: 64 }),
    board: fc.string({ maxLength: 64 }),
    calibration_id: fc.option(fc.string({ minLength: 0, maxLength: 128 }), { nil: null }),
    sensors: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })),
    errors: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  },
  { requiredKeys: ['device_id', 'state'] },
);

export const ackArb = fc.record(
  {
    id: fc.option(fc.string({ minLength: 1, maxLength: 128 }), { nil: null }),
    status: fc.constantFrom(...ACK_STATUSES),
    detail: fc.string({ maxLength: 200 }),
    device_id: deviceIdArb,
  },
  { requiredKeys: ['status'] },
);

/** int16 little-endian samples, base64, a power-of-two count (2 to 1,024). */
export const samplesArb = fc
  .integer({ min: 1, max: 10 })
  .chain((k) => fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 2 ** k, maxLength: 2 ** k }))
  .map((xs) => {
    const b = Buffer.alloc(xs.length * 2);
    xs.forEach((x, i) => b.writeInt16LE(x, i * 2));
    return b.toString('base64');
  });

export function waveformArb(now: number) {
  return fc.record(
    {
      device_id: deviceIdArb,
      timestamp: timestampArb(now),
      axis: fc.constantFrom('x', 'y', 'z'),
      sample_rate_hz: fc.double({ min: 1, max: 1_000_000, noNaN: true }),
      scale_g_per_lsb: fc.double({ min: 1e-6, max: 1, noNaN: true }),
      encoding: fc.constant('int16le-base64'),
      samples: samplesArb,
      seq: fc.nat(),
    },
    { requiredKeys: ['device_id', 'axis', 'sample_rate_hz', 'scale_g_per_lsb', 'encoding', 'samples'] },
  );
}

const envelope = { id: fc.string({ minLength: 1, maxLength: 128 }), issued_at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) };
export const commandArb = fc.oneof(
  fc.record({ ...envelope, action: fc.constant('REDUCE_LOAD'), value: fc.double({ min: 0, max: 50, noNaN: true }) }, { requiredKeys: ['action', 'value'] }),
  fc.record({ ...envelope, action: fc.constant('SET_SPEED'), value: fc.double({ min: 1, max: 100_000, noNaN: true }) }, { requiredKeys: ['action', 'value'] }),
  fc.record({ ...envelope, action: fc.constantFrom('STOP', 'START', 'IDENTIFY', 'REBOOT') }, { requiredKeys: ['action'] }),
  fc.record({ ...envelope, action: fc.constant('SET_RATE'), value: fc.double({ min: 1, max: 10, noNaN: true }) }, { requiredKeys: ['action', 'value'] }),
  fc.record({ action: fc.constant('CALIBRATE'), sensor: fc.constant('temperature'), offset: fc.double({ min: -20, max: 20, noNaN: true }), gain: fc.double({ min: 0.5, max: 2, noNaN: true }) }),
  fc.record({ action: fc.constant('CALIBRATE'), sensor: fc.constant('accel'), zero: fc.tuple(...[0, 1, 2].map(() => fc.double({ min: -0.5, max: 0.5, noNaN: true }))) }),
  fc.record({ action: fc.constant('CALIBRATE'), sensor: fc.constant('rpm'), pulses_per_rev: fc.integer({ min: 1, max: 64 }) }),
);
export const ACTIONS = COMMAND_ACTIONS;

/** Field names worth breaking: the protocol's own, and a few that are not. */
const FIELD = fc.constantFrom('device_id', 'timestamp', 'seq', 'state', 'status', 'axis', 'samples', 'encoding', 'sample_rate_hz', 'scale_g_per_lsb', 'action', 'value', 'id', 'type', ...READING_NAMES, '__proto__', 'constructor', 'x');

/** A JSON value that tends to break schemas: wrong types, huge and tiny numbers, odd strings. */
const nastyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e308, -1e308, 5e-324, -0, 2 ** 53 + 2, -1, 0.5, '', 'NaN', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday', '\u0000', '\ud800', 'motor/01', '#', '+'),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

export type Mutation =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'delete'; field: string }
  | { kind: 'bytes'; at: number; bytes: number[]; cut: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), field: FIELD, value: nastyValue }),
  fc.record({ kind: fc.constant('delete' as const), field: FIELD }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }), cut: fc.nat({ max: 4 }) }),
);

/** Applies mutations to a message: field edits on the object, then byte edits on its JSON text. */
export function mutate(message: Record<string, unknown>, mutations: Mutation[]): Buffer {
  const obj: Record<string, unknown> = { ...message };
  const byteEdits: Array<Extract<Mutation, { kind: 'bytes' }>> = [];
  for (const m of mutations) {
    if (m.kind === 'set') Object.defineProperty(obj, m.field, { value: m.value, enumerable: true, configurable: true, writable: true });
    else if (m.kind === 'delete') delete obj[m.field];
    else byteEdits.push(m);
  }
  let bytes = Buffer.from(JSON.stringify(obj) ?? 'null');
  for (const e of byteEdits) {
    const at = bytes.length ? e.at % bytes.length : 0;
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(e.bytes), bytes.subarray(Math.min(bytes.length, at + e.cut))]);
  }
  return bytes;
}
