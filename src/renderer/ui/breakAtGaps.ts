/** Steps looked at to learn a series' usual spacing: enough for a stable median, cheap at every redraw. */
const STEPS_SAMPLED = 64;

/**
 * A line drawn straight across a silence (the board offline, the engine stopped) reads as data that was never
 * there. Where two samples are further apart than a few of the series' usual steps (and at least `minGapMs`),
 * a null goes between them, which uPlot draws as a break. Returns the arrays unchanged when there is no gap.
 */
export function breakAtGaps(t: number[], values: (number | null)[], minGapMs = 10_000): [number[], (number | null)[]] {
  const n = Math.min(t.length, values.length);
  if (n < 3) return [t, values];
  const limit = Math.max(minGapMs, 5 * usualStep(t, n));
  let firstGap = -1;
  for (let i = 1; i < n && firstGap < 0; i++) if (t[i] - t[i - 1] > limit) firstGap = i;
  if (firstGap < 0) return [t, values];
  const xs = t.slice(0, firstGap);
  const ys = values.slice(0, firstGap);
  for (let i = firstGap; i < n; i++) {
    if (t[i] - t[i - 1] > limit) {
      xs.push((t[i] + t[i - 1]) / 2);
      ys.push(null);
    }
    xs.push(t[i]);
    ys.push(values[i]);
  }
  return [xs, ys];
}

function usualStep(t: number[], n: number): number {
  const from = Math.max(1, n - STEPS_SAMPLED);
  const steps: number[] = [];
  for (let i = from; i < n; i++) steps.push(t[i] - t[i - 1]);
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}
