import { describe, expect, it } from 'vitest';
import { DemandClock } from './demandClock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DemandClock', () => {
  it('ticks only while needed and started, stops after a tick that leaves nothing, and wakes again', async () => {
    let work = 0;
    let ticks = 0;
    const clock = new DemandClock(20, () => {
      ticks++;
      if (work > 0) work--;
    }, () => work > 0);
    clock.wake();
    expect(clock.running).toBe(false);
    work = 3;
    clock.wake();
    expect(clock.running).toBe(false);
    clock.start();
    expect(clock.running).toBe(true);
    while (clock.running) await sleep(10);
    expect(ticks).toBe(3);
    await sleep(80);
    expect(ticks).toBe(3);
    work = 1;
    clock.wake();
    while (clock.running) await sleep(10);
    expect(ticks).toBe(4);
    work = 5;
    clock.wake();
    clock.stop();
    await sleep(60);
    expect([clock.running, ticks]).toEqual([false, 4]);
  });
});
