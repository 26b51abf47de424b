/**
 * Wrong passwords or tokens per client address in a sliding window: after `max` within `windowMs`, that
 * address is refused outright until the oldest failure ages out. The HTTP server and the embedded broker
 * both use it, so guessing a secret costs the same minutes on either door.
 */
export class FailedLogins {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or null when it may try now. */
  retryAfterS(address: string): number | null {
    const list = this.recent(address);
    if (list.length < this.max) return null;
    return Math.max(1, Math.ceil((list[0] + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.set(address, list);
    // Bounded memory under a scan from many addresses: forget the oldest address.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(address, list);
    else this.failures.delete(address);
    return list;
  }
}
