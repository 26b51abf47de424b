import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { READING_NAMES } from '../readings';
import { ackArb, commandArb, mutate, mutationArb, REASON, statusArb, telemetryArb, waveformArb, ACTIONS } from '../../../tests/support/protocolArbitraries';
import { checkWaveformSamples, decodeCommand, decodeDeviceMessage, decodeSerialLine, type Decoded, type MessageKind } from './decode';
import { parseTopic } from './topics';

// Property-based tests of every decoder: whatever bytes arrive, a decoder returns a message or a reason a
// person can act on, and never throws; every valid message is accepted as sent.

const NOW = Date.UTC(2026, 10, 27, 12);
const KINDS: MessageKind[] = ['telemetry', 'status', 'waveform', 'ack', 'log'];

/** What every decoder result must be: ok with a value, or a reason that starts with its keyword. */
function wellFormed<T>(r: Decoded<T>): void {
  if (!r.ok) expect(r.reason).toMatch(REASON);
}

/** An accepted telemetry message holds only what the protocol allows, whatever it was made from. */
function checkAccepted(r: Decoded<unknown>, topicDevice: string): void {
  if (!r.ok) return;
  const msg = r.value as { kind: MessageKind; payload: Record<string, unknown>; ts?: number };
  if ('device_id' in msg.payload && msg.payload.device_id !== undefined) expect(msg.payload.device_id).toBe(topicDevice);
  if (msg.kind === 'telemetry' || msg.kind === 'waveform') expect(Number.isFinite(msg.ts)).toBe(true);
  if (msg.kind === 'telemetry') {
    for (const n of READING_NAMES) {
      const v = msg.payload[n];
      expect(v === undefined || v === null || Number.isFinite(v), `${n} = ${String(v)}`).toBe(true);
    }
  }
}

const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
);

describe('device message decoders under fuzzing', () => {
  it('accept every valid telemetry message exactly as sent', () => {
    fc.assert(
      fc.property(telemetryArb(NOW), (t) => {
        const r = decodeDeviceMessage('telemetry', Buffer.from(JSON.stringify(t)), t.device_id, NOW);
        expect(r.ok ? '' : r.reason).toBe('');
        if (!r.ok || r.value.kind !== 'telemetry') return;
        expect(r.value.payload).toEqual(JSON.parse(JSON.stringify(t)));
        expect(r.value.ts).toBe(t.timestamp !== undefined ? Date.parse(t.timestamp) : NOW);
      }),
      { numRuns: 300 },
    );
  });

  it('accept every valid status, ack and waveform message', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          statusArb.map((m) => ['status', m] as const),
          ackArb.map((m) => ['ack', m] as const),
          waveformArb(NOW).map((m) => ['waveform', m] as const),
        ),
        ([kind, m]) => {
          const r = decodeDeviceMessage(kind, JSON.stringify(m), (m as { device_id?: string }).device_id, NOW);
          expect(r.ok ? '' : r.reason).toBe('');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throw on random bytes: a message or a reason, for every kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), anyBytes, fc.option(fc.constantFrom('motor_01', 'm'), { nil: undefined }), (kind, raw, topicDevice) => {
        const r = decodeDeviceMessage(kind, raw, topicDevice, NOW);
        wellFormed(r);
        if (topicDevice) checkAccepted(r, topicDevice);
      }),
      { numRuns: 400 },
    );
  });

  it('never throw on mutated valid messages, and accept only what is still valid', () => {
    const valid = fc.oneof(
      telemetryArb(NOW).map((m) => ['telemetry', m] as const),
      statusArb.map((m) => ['status', m] as const),
      ackArb.map((m) => ['ack', m] as const),
      waveformArb(NOW).map((m) => ['waveform', m] as const),
    );
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(valid, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), ([kind, m], mutations) => {
        const topicDevice = (m as { device_id?: string }).device_id ?? 'motor_01';
        const r = decodeDeviceMessage(kind, mutate(m as Record<string, unknown>, mutations), topicDevice, NOW);
        wellFormed(r);
        checkAccepted(r, topicDevice);
        seen[r.ok ? 'ok' : 'rejected']++;
      }),
      { numRuns: 600 },
    );
    // The mutations are neither all harmless nor all fatal, so both paths were tried.
    expect(seen.ok).toBeGreaterThan(30);
    expect(seen.rejected).toBeGreaterThan(200);
  });

  it('check waveform samples of any text without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.base64String({ maxLength: 200 })), (s) => {
        const r = checkWaveformSamples(s);
        wellFormed(r);
        if (r.ok) expect(r.value & (r.value - 1)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('serial line decoder under fuzzing', () => {
  it('turns any line into a message, console text, or a rejection with a reason', () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ maxLength: 200 }).map((s) => `{${s}`),
      telemetryArb(NOW).chain((t) => fc.array(mutationArb, { maxLength: 2 }).map((ms) => mutate({ type: 'telemetry', ...t }, ms).toString('utf8'))),
      fc.record({ type: fc.constantFrom('telemetry', 'status', 'waveform', 'ack', 'log', 'command', 'nonsense') }).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(line, fc.option(fc.constant('bench_1'), { nil: undefined }), (text, expected) => {
        const r = decodeSerialLine(text, expected, NOW);
        if (r.kind === 'rejected') expect(r.reason).toMatch(REASON);
        if (r.kind === 'text') expect(text.replace(/\r$/, '').startsWith('{')).toBe(false);
        if (r.kind === 'message' && expected) checkAccepted({ ok: true, value: r.message }, expected);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every valid telemetry line', () => {
    fc.assert(
      fc.property(telemetryArb(NOW), fc.boolean(), (t, crlf) => {
        const r = decodeSerialLine(JSON.stringify({ type: 'telemetry', ...t }) + (crlf ? '\r' : ''), undefined, NOW);
        expect(r.kind === 'rejected' ? r.reason : r.kind).toBe('message');
      }),
      { numRuns: 200 },
    );
  });
});

describe('command decoder and topics under fuzzing', () => {
  it('accepts every valid command', () => {
    fc.assert(
      fc.property(commandArb, fc.boolean(), (c, asText) => {
        const r = decodeCommand(asText ? JSON.stringify({ type: 'command', ...c }) : (c as Record<string, unknown>));
        expect(r.ok ? r.value.action : r.reason).toBe(c.action);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on anything else, and what it accepts is a known action', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes.map((b) => b.toString('utf8')), commandArb.chain((c) => fc.array(mutationArb, { minLength: 1, maxLength: 3 }).map((ms) => mutate(c as Record<string, unknown>, ms).toString('utf8')))), (text) => {
        const r = decodeCommand(text);
        wellFormed(r);
        if (r.ok) expect(ACTIONS).toContain(r.value.action);
      }),
      { numRuns: 500 },
    );
  });

  it('parses any topic without throwing, and only device topics name a device', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.constantFrom('factory', 'motor_01', '', 'telemetry', 'commands', 'ack', '+', '#'), { maxLength: 5 }).map((p) => p.join('/'))), (topic) => {
        const t = parseTopic(topic);
        if (t) expect(topic).toBe(`factory/${t.deviceId}/${t.kind === 'ack' ? 'commands/ack' : t.kind}`);
      }),
      { numRuns: 300 },
    );
  });
});
