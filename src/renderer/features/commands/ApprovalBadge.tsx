import { usePending } from './commandsState';

/** The header's count of proposals waiting for a person. */
export function ApprovalBadge() {
  const n = usePending().length;
  return (
    <a href="#/approvals" className={`alarm-badge ${n ? 'alarm-badge-on' : ''}`} data-testid="approvals-badge" title="Commands waiting for approval">
      Approvals <span data-testid="approvals-badge-count">{n}</span>
    </a>
  );
}
