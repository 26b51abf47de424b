import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleBuffer, MAX_CONSOLE_CHARS, MAX_LINE_CHARS } from './consoleBuffer';

describe('ConsoleBuffer', () => {
  it('keeps lines in order with increasing sequence numbers', () => {
    const c = new ConsoleBuffer(10);
    for (let i = 0; i < 5; i++) c.add('rx', `l${i}`);
    expect(c.since(-1, 100).map((l) => l.text)).toEqual(['l0', 'l1', 'l2', 'l3', 'l4']);
    expect(c.since(2, 100).map((l) => l.seq)).toEqual([3, 4]);
    expect(c.since(-1, 2).map((l) => l.text)).toEqual(['l3', 'l4']);
  });
  it('overwrites the oldest lines when full and counts them', () => {
    const c = new ConsoleBuffer(4);
    for (let i = 0; i < 10; i++) c.add('rx', `l${i}`);
    expect(c.since(-1, 100).map((l) => l.text)).toEqual(['l6', 'l7', 'l8', 'l9']);
    expect(c.dropped).toBe(6);
  });
  it('hands out unsent lines once, and clear empties the view but not the numbering', () => {
    const c = new ConsoleBuffer(8);
    c.add('tx', 'a');
    c.add('info', 'b');
    expect(c.takeUnsent()).toHaveLength(2);
    expect(c.takeUnsent()).toHaveLength(0);
    c.clear();
    expect(c.since(-1, 10)).toEqual([]);
    expect(c.add('rx', 'c').seq).toBe(2);
  });
  it('cuts long lines and keeps the newest lines within a character budget, however many arrive', () => {
    const c = new ConsoleBuffer();
    const long = 'x'.repeat(70_000);
    const hex = 'ab'.repeat(35_000);
    for (let i = 0; i < 6000; i++) c.add('rx', `${i} ${long}`, { hex, kind: 'garbage' });
    const held = c.since(-1, Number.MAX_SAFE_INTEGER);
    const chars = held.reduce((n, l) => n + l.text.length + (l.hex?.length ?? 0), 0);
    expect(chars).toBeLessThanOrEqual(MAX_CONSOLE_CHARS);
    expect(held[0].text.length).toBeLessThan(MAX_LINE_CHARS + 40);
    expect(held[0].text).toMatch(/… \(7000\d characters\)$/);
    // The newest lines, without a gap, up to the last one.
    expect(held.at(-1)!.seq).toBe(5999);
    expect(held.map((l) => l.seq)).toEqual(held.map((_, i) => held[0].seq + i));
    expect(held.length).toBeLessThan(6000);
    expect(c.dropped).toBe(6000 - held.length);
  });
  it('logs every line to a file with its time and direction', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'console-')), 'sub', 'port.log');
    const c = new ConsoleBuffer(8);
    c.startLog(file);
    c.add('rx', 'hello');
    c.add('rx', '?', { hex: 'ff00', kind: 'garbage' });
    c.add('tx', 'cmd');
    await c.stopLog();
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/Z < hello\n/);
    expect(text).toMatch(/\[hex ff00\]/);
    expect(text).toMatch(/> cmd\n/);
  });

  it('ends the log, not the process, when the file cannot be written, and says why in the console', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-'));
    const c = new ConsoleBuffer(8);
    // A folder where the file should be: opening it for writing fails with EISDIR.
    mkdirSync(join(dir, 'port.log'));
    c.startLog(join(dir, 'port.log'));
    c.add('rx', 'hello');
    await vi.waitFor(() => expect(c.logFile).toBeNull());
    expect(c.logError).toMatch(/logging to .*port\.log stopped: EISDIR/);
    expect(c.since(-1, 10).map((l) => l.text)).toContainEqual(expect.stringMatching(/stopped: EISDIR/));
    c.add('rx', 'still here');
    expect(c.since(-1, 10).at(-1)?.text).toBe('still here');
  });
});
