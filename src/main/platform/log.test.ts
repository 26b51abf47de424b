import { describe, expect, it } from 'vitest';
import { createLog, readableLine } from './log';

function capture() {
  const lines: string[] = [];
  return { lines, to: { write: (l: string) => lines.push(l) } };
}

describe('the logger', () => {
  it('writes one JSON object a line with level, time, message, the part and the fields given', () => {
    const out = capture();
    const log = createLog({ format: 'json', to: out.to }).child({ part: 'ingest' });
    log.warn({ deviceId: 'motor_01' }, 'message rejected');
    const line = JSON.parse(out.lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, msg: 'message rejected', part: 'ingest', deviceId: 'motor_01' });
    expect(typeof line.time).toBe('number');
  });

  it('keeps to its level', () => {
    const out = capture();
    const log = createLog({ format: 'json', level: 'warn', to: out.to });
    log.info('not shown');
    log.error('shown');
    expect(out.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown']);
  });

  it('reads as text by default: time, level, [part], message, an error and other fields', () => {
    const out = capture();
    const log = createLog({ to: out.to }).child({ part: 'broker' });
    log.error({ err: new Error('ECONNREFUSED'), url: 'mqtt://plant:1883' }, 'cannot reach the broker');
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR \[broker\] cannot reach the broker: ECONNREFUSED url=mqtt:\/\/plant:1883\n$/);
    expect(readableLine('{"level":30,"time":0,"msg":"plain"}')).toBe('00:00:00.000 INFO  plain\n');
  });
});
