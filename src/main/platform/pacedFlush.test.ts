import { describe, expect, it } from 'vitest';
import { PacedFlush } from './pacedFlush';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PacedFlush', () => {
  it('runs many pokes once, at the next tick of its clock', async () => {
    let runs = 0;
    const f = new PacedFlush(1000, () => runs++);
    for (let i = 0; i < 100; i++) f.poke();
    expect(runs).toBe(0);
    await sleep(1100);
    expect(runs).toBe(1);
    f.poke();
    await sleep(1100);
    expect(runs).toBe(2);
    f.close();
  });

  it('runs nothing without a poke, and nothing after close', async () => {
    let runs = 0;
    const f = new PacedFlush(10, () => runs++);
    await sleep(50);
    expect(runs).toBe(0);
    f.poke();
    f.close();
    f.poke();
    await sleep(50);
    expect(runs).toBe(0);
  });
});
