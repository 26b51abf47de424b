import { describe, expect, it } from 'vitest';
import { checkWaveformSamples, decodeCommand, decodeDeviceMessage, decodeSerialLine, resolveTimestamp } from './decode';
import { parseTopic } from './topics';

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
