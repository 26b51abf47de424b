import type { EngineStatus } from '../../../shared/contract';

/** What a crash or a damaged file cost the history, found at start: stays in view for the whole run. */
export function StorageWarnings({ storage }: { storage: EngineStatus['storage'] }) {
  if (!storage.warnings.length) return null;
  const lost = storage.lostRows ? `: ${storage.lostRows.toLocaleString()} stored rows lost` : '';
  return (
    <span className="error" title={storage.warnings.join('\n\n')} data-testid="status-storage-warnings">
      History damaged at start{lost} (details on hover, in /api/health and the log)
    </span>
  );
}
