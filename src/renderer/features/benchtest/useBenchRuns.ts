import { useEffect, useState } from 'react';
import type { BenchRunState } from '../../../shared/benchtestContract';
import { useEngineClient } from '../../engine/EngineProvider';

/** Bench runs of this engine session, kept current by `benchRun` events; newest first. */
export function useBenchRuns(): BenchRunState[] {
  const client = useEngineClient();
  const [runs, setRuns] = useState<BenchRunState[]>([]);
  useEffect(() => {
    if (!client) return;
    const off = client.on('benchRun', (r) => setRuns((list) => [r, ...list.filter((x) => x.runId !== r.runId)]));
    client.call('benchtest.active', {}).then((list) => setRuns([...list].reverse()), () => undefined);
    return off;
  }, [client]);
  return runs;
}
