/**
 * An interval clock that runs only while there is work for it: `wake()` starts it when `needed()` says so (a
 * null check when it runs already), and it stops after a tick that leaves nothing needed. The clocks of an
 * engine that hears nothing and commands nothing do not wake it. Ticks only between `start()` and `stop()`.
 */
export class DemandClock {
  private timer: ReturnType<typeof setInterval> | null = null;
  private started = false;

  constructor(
    private readonly periodMs: number,
    private readonly tick: () => void,
    private readonly needed: () => boolean,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    this.started = true;
    this.wake();
  }

  stop(): void {
    this.started = false;
    this.halt();
  }

  wake(): void {
    if (this.timer || !this.started || !this.needed()) return;
    this.timer = setInterval(() => {
      this.tick();
      if (!this.needed()) this.halt();
    }, this.periodMs);
  }

  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
