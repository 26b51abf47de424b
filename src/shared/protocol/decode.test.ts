import { describe, expect, it } from 'vitest';
import { checkWaveformSamples, decodeCommand, decodeDeviceMessage, decodeSerialLine } from './decode';
import { resolveTimestamp } from './timestamps';
import { parseTopic, topicFor } from './topics';
import { isDeviceId } from './schemas';

const now = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('decodeDeviceMessage', () => {
  it("accepts the original design's payload exactly as written", () => {
    const r = decodeDeviceMessage('telemetry', '{"device_id": "motor_01", "temperature": 72.4, "vibration": 0.034, "rpm": 1480, "timestamp": "2026-01-15T10:15:00Z"}', 'motor_01', now);
    expect(r.ok && r.value.kind === 'telemetry' && r.value.payload).toMatchObject({ device_id: 'motor_01', temperature: 72.4, vibration: 0.034, rpm: 1480 });
    expect(r.ok && r.value.kind === 'telemetry' && r.value.ts).toBe(Date.UTC(2026, 0, 15, 10, 15));
  });

  it('keeps null readings as null and drops unknown fields', () => {
    const r = decodeDeviceMessage('telemetry', { device_id: 'm', temperature: null, extra: 'x', seq: 3 }, 'm', now);
    expect(r.ok && r.value.kind === 'telemetry' && r.value.payload).toEqual({ device_id: 'm', temperature: null, seq: 3 });
  });

  it.each([
    ['{', /json: not valid JSON/],
    ['[1,2]', /must be a JSON object/],
    ['{"device_id":"m","rpm":Infinity}', /NaN and Infinity are not JSON/],
    ['{"device_id":"m","rpm":"1480"}', /type: rpm: must be a number/],
    ['{"device_id":"m/x","rpm":1}', /device_id: device_id must be/],
    ['{"rpm":1}', /missing: device_id: is required/],
    ['{"device_id":"m","seq":-1}', /range: seq/],
    ['{"device_id":"m","seq":1.5}', /seq must be an integer/],
  ])('rejects %s with a reason', (raw, reason) => {
    const r = decodeDeviceMessage('telemetry', raw, 'm', now);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('rejects a payload over 64 KiB before parsing it', () => {
    const r = decodeDeviceMessage('telemetry', `{"device_id":"m","x":"${'a'.repeat(70_000)}"}`, 'm', now);
    expect(!r.ok && r.reason).toMatch(/^size: /);
  });

  it('takes the bare last-will word as a status', () => {
    const r = decodeDeviceMessage('status', 'offline', 'm', now);
    expect(r.ok && r.value.payload).toEqual({ device_id: 'm', state: 'offline' });
  });

  it('rejects an ack with an unknown status', () => {
    const r = decodeDeviceMessage('ack', '{"id":"c1","status":"done"}', 'm', now);
    expect(!r.ok && r.reason).toMatch(/^status: /);
  });
});

describe('resolveTimestamp', () => {
  it('trusts a plausible device clock', () => expect(resolveTimestamp('2026-11-24T11:59:00Z', now)).toEqual({ ok: true, value: { ts: now - 60_000, suspect: false } }));
  it('uses arrival time for a clock minutes ahead, flagged', () => expect(resolveTimestamp('2026-11-24T13:00:00Z', now)).toEqual({ ok: true, value: { ts: now, suspect: true } }));
  it('flags a week-old timestamp but keeps it', () => expect(resolveTimestamp('2026-11-01T00:00:00Z', now)).toMatchObject({ ok: true, value: { suspect: true } }));
  it('rejects absurd times', () => {
    expect(resolveTimestamp('1999-12-31T23:59:59Z', now).ok).toBe(false);
    expect(resolveTimestamp('2030-01-01T00:00:00Z', now).ok).toBe(false);
    expect(resolveTimestamp('soon', now).ok).toBe(false);
  });
});

describe('waveform samples', () => {
  it('accepts a power-of-two int16 block', () => expect(checkWaveformSamples(Buffer.alloc(2048).toString('base64'))).toEqual({ ok: true, value: 1024 }));
  it('rejects bad base64, odd bytes and other lengths', () => {
    expect(checkWaveformSamples('@@@@').ok).toBe(false);
    expect(checkWaveformSamples(Buffer.alloc(3).toString('base64'))).toMatchObject({ ok: false });
    expect(checkWaveformSamples(Buffer.alloc(2000).toString('base64'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^length: /) });
  });
});

describe('decodeSerialLine', () => {
  it('passes non-JSON lines to the console', () => expect(decodeSerialLine('rst:0x1 (POWERON_RESET),boot:0x13')).toEqual({ kind: 'text', text: 'rst:0x1 (POWERON_RESET),boot:0x13' }));
  it('decodes a typed line', () => {
    const r = decodeSerialLine('{"type":"telemetry","device_id":"m","rpm":1480}\r', undefined, now);
    expect(r.kind === 'message' && r.message.kind).toBe('telemetry');
  });
  it('rejects a JSON line without a known type', () => expect(decodeSerialLine('{"device_id":"m"}')).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/^type: /) }));
});

describe('decodeCommand', () => {
  it("accepts the original design's bare command", () => expect(decodeCommand('{"action": "REDUCE_LOAD", "value": 20}')).toEqual({ ok: true, value: { action: 'REDUCE_LOAD', value: 20 } }));
  it('rejects out-of-range values and unknown actions', () => {
    expect(decodeCommand({ action: 'REDUCE_LOAD', value: 60 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^range: /) });
    expect(decodeCommand({ action: 'SELF_DESTRUCT' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^action: /) });
    expect(decodeCommand({ action: 'CALIBRATE', sensor: 'temperature', offset: 40 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^range: /) });
  });
});

describe('parseTopic', () => {
  it('maps topics to device and kind', () => {
    expect(parseTopic('factory/motor_01/telemetry')).toEqual({ deviceId: 'motor_01', kind: 'telemetry' });
    expect(parseTopic('factory/motor_01/commands/ack')).toEqual({ deviceId: 'motor_01', kind: 'ack' });
    expect(parseTopic('factory/motor_01/commands')).toBeUndefined();
    expect(parseTopic('plant/motor_01/telemetry')).toBeUndefined();
  });
});

// Ids that once made twins (issue 17): markup, path tricks, spreadsheet formulas, a 3,000-character id.
const BAD_IDS = ['<img src=x onerror=alert(1)>', '..', '=HYPERLINK("http://evil.example","x")', 'm'.repeat(3000), ' motor_01', ''];

describe('device ids named by a topic', () => {
  it.each(BAD_IDS.map((id) => [id.slice(0, 40), id]))('rejects every kind of message from %s, the bare last-will word too', (_label, id) => {
    for (const [kind, raw] of [
      ['status', 'online'],
      ['status', 'offline'],
      ['status', JSON.stringify({ device_id: id, state: 'online' })],
      ['telemetry', JSON.stringify({ device_id: id, temperature: 40 })],
      ['telemetry', '{"temperature":40}'],
      ['waveform', JSON.stringify({ device_id: id })],
      ['ack', '{"id":"c1","status":"applied"}'],
    ] as const) {
      const r = decodeDeviceMessage(kind, raw, id, now);
      expect(r, `${kind} ${raw}`).toMatchObject({ ok: false, reason: expect.stringMatching(/^device_id: the topic's device id .* must be 1-64 letters/) });
    }
  });

  it('never builds a topic from a bad id', () => {
    expect(topicFor('motor_01', 'commands')).toBe('factory/motor_01/commands');
    for (const id of BAD_IDS) expect(() => topicFor(id, 'commands'), id.slice(0, 40)).toThrow(/device id/);
  });

  it('names the topic device only when its id is valid', () => {
    expect(parseTopic('factory/<img src=x onerror=alert(1)>/status')).toEqual({ deviceId: '<img src=x onerror=alert(1)>', kind: 'status' });
    expect(isDeviceId('motor_01')).toBe(true);
    for (const id of BAD_IDS) expect(isDeviceId(id)).toBe(false);
  });
});

describe('timestamps: ISO 8601 date-time with a zone, nothing else', () => {
  it.each([
    ['1', /timestamp: "1" is not an ISO 8601 date-time/],
    ['12/05/2026 10:00', /not an ISO 8601 date-time/],
    ['2026-11-24', /not an ISO 8601 date-time/],
    ['Tue, 24 Nov 2026 11:59:00 GMT', /not an ISO 8601 date-time/],
    ['2026-11-24T11:59:00', /no time zone/],
    ['2026-11-24 11:59:00Z', /not an ISO 8601 date-time/],
    ['2026-13-24T11:59:00Z', /not a real time/],
  ])('rejects %s', (timestamp, reason) => {
    expect(resolveTimestamp(timestamp, now)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    const r = decodeDeviceMessage('telemetry', JSON.stringify({ device_id: 'm', temperature: 40, timestamp }), 'm', now);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it.each([
    ['2026-11-24T11:59:00Z', now - 60_000],
    ['2026-11-24T11:59:00.250Z', now - 59_750],
    ['2026-11-24T12:59:00+01:00', now - 60_000],
    ['2026-11-24T12:59:00+0100', now - 60_000],
    ['2026-11-24T11:59Z', now - 60_000],
  ])('accepts %s', (timestamp, ts) => expect(resolveTimestamp(timestamp, now)).toEqual({ ok: true, value: { ts, suspect: false } }));

  it('keeps a numeric timestamp a type error, as the golden vectors shared with the firmware say', () => {
    const r = decodeDeviceMessage('telemetry', '{"device_id":"m","rpm":1480,"timestamp":1795953540}', 'm', now);
    expect(!r.ok && r.reason).toMatch(/^type: timestamp: timestamp must be an ISO 8601 string/);
  });
});
