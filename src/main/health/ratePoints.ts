// A rate clause's recent points, oldest first, in a ring of two typed arrays: a point is kept, an old one let
// go and the slope fitted without allocating. The clause's JSON state (what is stored) gets them as pairs only
// when it is about to be read (rules.ts `syncRuleState`).

export class RatePoints {
  private t: Float64Array;
  private v: Float64Array;
  private head = 0;
  count = 0;

  constructor(pts: ReadonlyArray<readonly [number, number]> = []) {
    let cap = 64;
    while (cap <= pts.length) cap *= 2;
    this.t = new Float64Array(cap);
    this.v = new Float64Array(cap);
    for (const [ts, v] of pts) this.push(ts, v);
  }

  push(ts: number, v: number): void {
    if (this.count === this.t.length) this.grow();
    const i = (this.head + this.count) & (this.t.length - 1);
    this.t[i] = ts;
    this.v[i] = v;
    this.count++;
  }

  /** Lets go of the points older than `from`. */
  dropBefore(from: number): void {
    const mask = this.t.length - 1;
    while (this.count > 0 && this.t[this.head] < from) {
      this.head = (this.head + 1) & mask;
      this.count--;
    }
  }

  /** Least-squares slope in units per minute once the points span half the window, else NaN. The sums run
   * oldest first from the oldest point's time, as they always have: the same points give the same slope. */
  slopePerMin(windowMs: number): number {
    const n = this.count;
    const mask = this.t.length - 1;
    const { t: ts, v: vs, head } = this;
    if (n < 4 || ts[(head + n - 1) & mask] - ts[head] < windowMs / 2) return NaN;
    const t0 = ts[head];
    let st = 0;
    let sv = 0;
    let stt = 0;
    let stv = 0;
    for (let k = 0; k < n; k++) {
      const i = (head + k) & mask;
      const t = (ts[i] - t0) / 60_000;
      const v = vs[i];
      st += t;
      sv += v;
      stt += t * t;
      stv += t * v;
    }
    const sxx = stt - (st * st) / n;
    return sxx > 0 ? (stv - (st * sv) / n) / sxx : NaN;
  }

  pairs(): [number, number][] {
    const mask = this.t.length - 1;
    return Array.from({ length: this.count }, (_, k) => [this.t[(this.head + k) & mask], this.v[(this.head + k) & mask]] as [number, number]);
  }

  private grow(): void {
    const pts = this.pairs();
    this.t = new Float64Array(this.t.length * 2);
    this.v = new Float64Array(this.v.length * 2);
    this.head = this.count = 0;
    for (const [ts, v] of pts) this.push(ts, v);
  }
}
