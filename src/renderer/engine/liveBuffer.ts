import type { TelemetryPoint } from '../../shared/contract';
import type { ReadingName } from '../../shared/readings';

/** How much live history the UI keeps per motor: the "live 5 minutes" range plus some slack. */
export const LIVE_WINDOW_MS = 6 * 60_000;

export interface LiveSeries {
  t: number[];
  values: Partial<Record<ReadingName, (number | null)[]>>;
}

/**
 * Recent points of every motor, in arrival order, trimmed to LIVE_WINDOW_MS. Feeds sparklines and the
 * live trend without asking the engine again.
 */
export class LiveBuffer {
  private readonly series = new Map<string, LiveSeries>();
  version = 0;

  append(points: TelemetryPoint[]): void {
    for (const p of points) {
      let s = this.series.get(p.id);
      if (!s) this.series.set(p.id, (s = { t: [], values: {} }));
      // A late point (board clock or redelivery) goes in order so charts stay monotonic.
      let at = s.t.length;
      while (at > 0 && s.t[at - 1] > p.ts) at--;
      const length = s.t.length;
      s.t.splice(at, 0, p.ts);
      for (const [name, v] of Object.entries(p.values) as [ReadingName, number | null][]) {
        let column = s.values[name];
        if (!column) s.values[name] = column = new Array<number | null>(length).fill(null);
        column.splice(at, 0, v);
      }
      for (const column of Object.values(s.values)) if (column.length < s.t.length) column.splice(at, 0, null);
      this.trim(s, p.ts - LIVE_WINDOW_MS);
    }
    this.version++;
  }

  get(id: string): LiveSeries | undefined {
    return this.series.get(id);
  }

  forget(id: string): void {
    this.series.delete(id);
  }

  private trim(s: LiveSeries, before: number): void {
    let drop = 0;
    while (drop < s.t.length && s.t[drop] < before) drop++;
    if (!drop) return;
    s.t.splice(0, drop);
    for (const column of Object.values(s.values)) column.splice(0, drop);
  }
}
