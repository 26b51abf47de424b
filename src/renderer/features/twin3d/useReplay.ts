import type { AlarmTransition } from '../../../shared/healthContract';
import type { ReadingName } from '../../../shared/readings';
import { useLiveQuery } from '../../engine/useEngineQuery';

export const REPLAY_MS = 24 * 3_600_000;
/** One sample per 5 minutes over the day: enough to scrub, small enough to load at once. */
const POINTS = 288;
export const REPLAY_METRICS: ReadingName[] = ['temperature', 'ambient', 'vib_velocity', 'vibration', 'rpm', 'current'];

export interface ReplayData {
  from: number;
  to: number;
  t: number[];
  /** Bucket averages, aligned with t. */
  series: Partial<Record<ReadingName, (number | null)[]>>;
  transitions: AlarmTransition[];
}

/** The last 24 hours of one motor from DuckDB (rollups) and its alarm transitions, loaded when asked for. */
export function useReplay(id: string, enabled: boolean): { data: ReplayData | null; error: string | null } {
  const q = useLiveQuery<ReplayData>(enabled ? `replay ${id}` : null, {
    load: async (c) => {
      const to = Date.now();
      const from = to - REPLAY_MS;
      const h = await c.call('history.query', { id, metrics: REPLAY_METRICS, from, to, maxPoints: POINTS });
      const transitions = await c.call('alarms.transitions', { id, from, limit: 5000 }).catch(() => [] as AlarmTransition[]);
      return { from, to, t: h.t, series: Object.fromEntries(REPLAY_METRICS.map((m) => [m, h.series[m]?.avg ?? []])), transitions };
    },
  });
  const data = q.data ?? null;
  const error = q.error;
  return { data: enabled ? data : null, error };
}

/** The values at sample i, and which alarms (by id and condition) were active at that moment. */
export function replayAt(d: ReplayData, i: number): { ts: number; values: Partial<Record<ReadingName, number | null>>; active: AlarmTransition[] } {
  const ts = d.t[i];
  const values: Partial<Record<ReadingName, number | null>> = {};
  for (const m of REPLAY_METRICS) values[m] = d.series[m]?.[i] ?? null;
  const last = new Map<string, AlarmTransition>();
  for (const tr of d.transitions) if (tr.ts <= ts) last.set(tr.alarmId, tr);
  const active = [...last.values()].filter((tr) => tr.to === 'active_unacked' || tr.to === 'active_acked');
  return { ts, values, active };
}
