/**
 * Runs `flush` at the next tick of a clock of period `periodMs` after `poke()`, once however often it was
 * poked: the batching of a fixed interval timer, without its wake-ups while nothing is poked (an idle engine
 * stays asleep). Ticks on the clock's multiples, so a value waits as long as it did under the interval timer.
 */
export class PacedFlush {
  private pending: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly periodMs: number,
    private readonly flush: () => void,
  ) {}

  poke(): void {
    if (this.pending || this.closed) return;
    this.pending = setTimeout(this.run, this.periodMs - (performance.now() % this.periodMs));
  }

  /** Drops a run not yet made; later pokes do nothing. */
  close(): void {
    this.closed = true;
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
  }

  private run = (): void => {
    this.pending = null;
    this.flush();
  };
}
