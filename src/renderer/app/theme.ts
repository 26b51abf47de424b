import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const KEY = 'motortwin.theme';
const listeners = new Set<() => void>();

function stored(): Theme | null {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : null;
}

const prefersDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** The user's choice, else the OS preference; read once and kept, since every chart asks for it. */
let current: Theme | null = null;

export function currentTheme(): Theme {
  current ??= stored() ?? (prefersDark() ? 'dark' : 'light');
  return current;
}

export function applyInitialTheme(): void {
  document.documentElement.dataset.theme = currentTheme();
  // Follow the OS until the user picks a theme here.
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (!stored()) apply(prefersDark() ? 'dark' : 'light');
  });
}

export function setTheme(theme: Theme): void {
  localStorage.setItem(KEY, theme);
  apply(theme);
}

function apply(theme: Theme): void {
  current = theme;
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l();
}

export function useTheme(): Theme {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    currentTheme,
  );
}
