/**
 * At most two points per horizontal pixel: each bucket's lowest and highest value, in time order, so a
 * spike survives thinning. Times in seconds, as uPlot wants them; nulls are gaps and stay gaps.
 */
export function decimate(t: number[], values: (number | null)[], pixels: number): [number[], (number | null)[]] {
  const n = Math.min(t.length, values.length);
  if (n <= 2 * pixels) return [t.slice(0, n).map((x) => x / 1000), values.slice(0, n)];
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  const per = n / pixels;
  for (let b = 0; b < pixels; b++) {
    const from = Math.floor(b * per);
    const to = Math.min(n, Math.floor((b + 1) * per));
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v === null) gap = i;
      else {
        if (lo < 0 || v < (values[lo] as number)) lo = i;
        if (hi < 0 || v > (values[hi] as number)) hi = i;
      }
    }
    const picks = lo < 0 ? [gap] : [...new Set([lo, hi, ...(gap >= 0 ? [gap] : [])])].sort((a, b2) => a - b2);
    for (const i of picks) {
      xs.push(t[i] / 1000);
      ys.push(values[i]);
    }
  }
  return [xs, ys];
}
