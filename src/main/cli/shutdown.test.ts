import { describe, expect, it, vi } from 'vitest';
import { closeWithin } from './shutdown';
import { createLog } from '../platform/log';

/** A logger whose lines are kept as `message` or `message: error`. */
const io = () => {
  const lines: string[] = [];
  const write = (l: string) => {
    const o = JSON.parse(l) as { msg: string; err?: { message: string } };
    lines.push(o.err ? `${o.msg}: ${o.err.message}` : o.msg);
  };
  return { lines, io: createLog({ format: 'json', to: { write } }) };
};

describe('closeWithin', () => {
  it('closes the steps in order; something still holding the process past the deadline is named', async () => {
    const { lines, io: out } = io();
    const order: string[] = [];
    const exit = vi.fn();
    await closeWithin(
      [
        { name: 'HTTP server', close: async () => void order.push('http') },
        { name: 'engine', close: async () => void order.push('engine') },
      ],
      out,
      { deadlineMs: 200, lastResort: async () => void order.push('last resort'), exit },
    );
    expect(order).toEqual(['http', 'engine']);
    expect(lines).toEqual([]);
    // The test runner itself holds this process open, as a leaked socket would hold serve's.
    const held = setInterval(() => undefined, 50);
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(held);
    expect(lines.join('\n')).toMatch(/closed, but after 0\.2 s the process was still held open by: .*Timeout/);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('past the deadline names what is still closing, runs the last resort and exits', async () => {
    const { lines, io: out } = io();
    const lastResort = vi.fn(async () => undefined);
    const exited = new Promise<number>((resolve) =>
      void closeWithin(
        [
          { name: 'HTTP server', close: async () => undefined },
          { name: 'engine', close: () => new Promise<void>(() => undefined), detail: () => 'simulated motors' },
        ],
        out,
        { deadlineMs: 100, lastResort, exit: resolve },
      ),
    );
    expect(await exited).toBe(1);
    expect(lastResort).toHaveBeenCalledOnce();
    expect(lines.join('\n')).toMatch(/still closing after 0\.1 s: engine \(simulated motors\)/);
    expect(lines.join('\n')).toMatch(/open handles: /);
  });

  it('a step that throws is reported and the others still close', async () => {
    const { lines, io: out } = io();
    const closed: string[] = [];
    await closeWithin(
      [
        { name: 'HTTP server', close: async () => Promise.reject(new Error('boom')) },
        { name: 'engine', close: async () => void closed.push('engine') },
      ],
      out,
      { deadlineMs: 1000, lastResort: async () => undefined, exit: vi.fn() },
    );
    expect(closed).toEqual(['engine']);
    expect(lines).toEqual(['closing HTTP server failed: boom']);
  });
});
