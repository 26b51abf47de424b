import { useEffect } from 'react';
import { useCommandsState, useToasts } from './commandsState';

const SHOWN_MS = 8000;

/** Command outcomes and new proposals, briefly, in a corner; each links to where to act on it. */
export function Toasts() {
  const state = useCommandsState();
  const toasts = useToasts();
  useEffect(() => {
    if (!toasts.length) return;
    const timer = setTimeout(() => state.dismiss(toasts[0].id), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [toasts, state]);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.level}`} data-testid="toast">
          <a href={t.href}>{t.text}</a>
          <button className="ghost" onClick={() => state.dismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
