import { useSyncExternalStore } from 'react';

// Hash routes, so the same build works from file:// in the desktop app and over http from `serve`.
export type Route = { page: 'fleet' } | { page: 'motor'; id: string } | { page: 'rejected' } | { page: 'connect' } | { page: 'boards'; tab: string } | { page: 'alarms' } | { page: 'approvals' } | { page: 'manuals' } | { page: 'bench'; tab: string } | { page: 'sessions' } | { page: 'server' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'motor' && parts[1]) return { page: 'motor', id: parts[1] };
  if (parts[0] === 'rejected') return { page: 'rejected' };
  if (parts[0] === 'connect') return { page: 'connect' };
  if (parts[0] === 'alarms') return { page: 'alarms' };
  if (parts[0] === 'approvals') return { page: 'approvals' };
  if (parts[0] === 'manuals') return { page: 'manuals' };
  if (parts[0] === 'sessions') return { page: 'sessions' };
  if (parts[0] === 'server') return { page: 'server' };
  if (parts[0] === 'boards') return { page: 'boards', tab: parts[1] ?? 'ports' };
  if (parts[0] === 'bench') return { page: 'bench', tab: parts[1] ?? 'run' };
  return { page: 'fleet' };
}

export function hrefFor(route: Route): string {
  if (route.page === 'boards') return route.tab && route.tab !== 'ports' ? `#/boards/${route.tab}` : '#/boards';
  if (route.page === 'bench') return route.tab && route.tab !== 'run' ? `#/bench/${route.tab}` : '#/bench';
  return route.page === 'motor' ? `#/motor/${encodeURIComponent(route.id)}` : `#/${route.page === 'fleet' ? '' : route.page}`;
}

const subscribe = (l: () => void) => {
  window.addEventListener('hashchange', l);
  return () => window.removeEventListener('hashchange', l);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
