import { useEffect, useState } from 'react';
import { alarmAlert, commandAlert, type UserAlert } from '../../../shared/alertRule';
import { useLiveQuery } from '../../engine/useEngineQuery';
import './alerts.css';

const SHOWN_MS = 8000;
const KEPT = 4;

/** The latest alerts the rule (shared/alertRule.ts) makes toasts of, at most four, without repeats. */
function withToast(list: readonly UserAlert[], alert: UserAlert | null): readonly UserAlert[] {
  if (!alert?.toast) return list;
  return [...list.filter((x) => x.id !== alert.id), alert].slice(-KEPT);
}

/** Alerts, briefly, in a corner: command outcomes, proposals and serious alarms; each links to where to act on it. */
export function Toasts() {
  const { data = [] } = useLiveQuery<readonly UserAlert[]>('toasts', {
    // Only what happens from now on: earlier alerts are in the alarm list and the approvals.
    load: async () => [],
    on: { command: (list, c) => withToast(list, commandAlert(c)), alarm: (list, e) => withToast(list, alarmAlert(e)) },
  });
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const toasts = data.filter((t) => !dismissed.has(t.id));
  const dismiss = (id: string) => setDismissed((d) => new Set(d).add(id));
  const first = toasts[0]?.id;
  useEffect(() => {
    if (!first) return;
    const timer = setTimeout(() => setDismissed((d) => new Set(d).add(first)), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [first]);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} data-testid="toast">
          <a href={t.href}>{t.text}</a>
          <button className="ghost" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
