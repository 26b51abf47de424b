import { useSyncExternalStore } from 'react';

// Who is at the keyboard: named in the audit trail for every command, approval and rejection. Kept in
// this browser (or desktop window) only; there are no accounts.
const KEY = 'motortwin.operator';
const listeners = new Set<() => void>();

export function operatorName(): string {
  return localStorage.getItem(KEY) || 'operator';
}

export function setOperatorName(name: string): void {
  localStorage.setItem(KEY, name.trim().slice(0, 80));
  for (const l of listeners) l();
}

export function useOperator(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    operatorName,
  );
}
