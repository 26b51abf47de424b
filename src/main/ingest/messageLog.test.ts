import { describe, expect, it } from 'vitest';
import { MessageLog } from './messageLog';

const message = (i: number, payload: Buffer, userProperties: Record<string, string> | null = null) => ({
  ts: i,
  broker: 'embedded',
  topic: 'factory/m1/telemetry',
  qos: 1,
  retain: false,
  userProperties,
  correlationData: null,
  responseTopic: null,
  bytes: payload.length,
  payload,
});

describe('MessageLog', () => {
  it('lists the last 20 messages of a device, newest first, each with its own payload', () => {
    const log = new MessageLog();
    for (let i = 1; i <= 25; i++) log.record('m1', message(i, Buffer.from(`{"seq":${i}}`)));
    const listed = log.list('m1');
    expect(listed.map((m) => m.ts)).toEqual(Array.from({ length: 20 }, (_, k) => 25 - k));
    expect(listed.map((m) => m.payload)).toEqual(Array.from({ length: 20 }, (_, k) => `{"seq":${25 - k}}`));
    expect(log.list('m2')).toEqual([]);
  });

  it('lists a device that sent fewer messages than it keeps', () => {
    const log = new MessageLog();
    for (let i = 1; i <= 3; i++) log.record('m1', message(i, Buffer.from(`p${i}`)));
    expect(log.list('m1').map((m) => m.payload)).toEqual(['p3', 'p2', 'p1']);
  });

  it('keeps 300 characters of a long payload, a short one whole, and never the buffer it was handed', () => {
    const log = new MessageLog();
    const long = Buffer.from('é'.repeat(1000));
    log.record('m1', message(1, long));
    const short = Buffer.from('{"t":1}');
    log.record('m1', message(2, short, { origin: 'plc' }));
    short.write('XXXXXXX');
    const [second, first] = log.list('m1');
    expect(first.payload).toBe(`${'é'.repeat(300)}…`);
    expect(first.bytes).toBe(2000);
    expect(first.userProperties).toEqual({});
    expect(second.payload).toBe('{"t":1}');
    expect(second.userProperties).toEqual({ origin: 'plc' });
  });
});
