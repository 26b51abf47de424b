import type { BenchRunState } from '../../../shared/benchtestContract';
import { upsert } from '../../engine/liveQuery';
import { useLiveQuery } from '../../engine/useEngineQuery';

/** Bench runs of this engine session, kept current by `benchRun` events; newest first. */
export function useBenchRuns(): BenchRunState[] {
  const { data } = useLiveQuery<BenchRunState[]>('benchtest.active', {
    load: async (c) => [...(await c.call('benchtest.active', {}))].reverse(),
    on: { benchRun: (list, r) => upsert(list, r, (x) => x.runId) },
  });
  return data ?? [];
}
