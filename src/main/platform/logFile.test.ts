import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createLog } from './log';
import { openAppLog, openLogFile } from './logFile';

describe('the desktop log file', () => {
  it('starts a new file once the current one passes its size, keeping the older lines in motortwin.log.1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motortwin-logs-'));
    const file = openLogFile(dir, { size: '1K', keep: 9 });
    const log = createLog({ format: 'json', to: file }).child({ part: 'broker' });
    const rotated = once(file, 'rotated');
    for (let i = 0; i < 20; i++) log.info({ line: i }, 'a line long enough that twenty of them pass one kilobyte');
    await rotated;
    log.info({ line: 20 }, 'after the rotation');
    file.end();
    await once(file, 'finish');

    // About 3 KB of lines: rotated at each kilobyte passed, the newest rotated file numbered 1.
    const files = readdirSync(dir).sort();
    expect(files).toContain('motortwin.log.1');
    expect(files.length).toBeGreaterThanOrEqual(3);
    const oldestFirst = [...files.filter((f) => f !== 'motortwin.log').sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop())), 'motortwin.log'];
    const lines = oldestFirst.map((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { line: number; part: string }));
    for (const f of lines.slice(0, -1)) expect(JSON.stringify(f).length).toBeGreaterThan(900);
    expect(lines[0][0]).toMatchObject({ line: 0, part: 'broker' });
    // Nothing lost or doubled across the rotations.
    expect(lines.flat().map((l) => l.line)).toEqual(Array.from({ length: 21 }, (_, i) => i));
  });
});

describe("the desktop app's log", () => {
  it("keeps the app's lines and the engine's, one JSON object a line, and wraps what the engine printed that is not a log line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motortwin-logs-'));
    const appLog = openAppLog(dir);
    const engineOut = new PassThrough();
    const echoed: string[] = [];
    const followed = appLog.follow(engineOut, (line) => echoed.push(line));
    appLog.log.info({ version: '1.2.3' }, 'MotorTwin starting');
    // As the engine process writes them: its logger's JSON lines, split anywhere, and a stray line of text.
    const engineLog = createLog({ format: 'json', to: { write: (l: string) => engineOut.write(l) } }).child({ part: 'broker' });
    engineLog.warn({ address: '10.0.0.9' }, 'refused a client');
    engineOut.write('{"level":30,"time":1,"part":"eng');
    engineOut.write('ine","msg":"started"}\n(node:42) Warning: something a library printed\n');
    engineOut.end();
    await followed;
    await appLog.close();

    const lines = readFileSync(join(dir, 'motortwin.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, part: 'app', msg: 'MotorTwin starting', version: '1.2.3' }),
      expect.objectContaining({ level: 40, part: 'broker', msg: 'refused a client', address: '10.0.0.9' }),
      { level: 30, time: 1, part: 'engine', msg: 'started' },
      expect.objectContaining({ level: 40, part: 'engine', msg: '(node:42) Warning: something a library printed', unformatted: true }),
    ]);
    expect(echoed).toHaveLength(3);
  });
});
