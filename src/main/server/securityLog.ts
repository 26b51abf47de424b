import type { Log } from '../platform/log';

// What the server's front door tells an operator: logins, failed logins, lockouts and actions a role may not
// do. One line each in the server's log (part `security`), never a password or a session secret.

export interface SecurityEvent {
  event: 'login' | 'login_failed' | 'locked_out' | 'logout' | 'forbidden' | 'session_ended' | 'session_store_failed';
  user?: string;
  role?: string;
  address?: string;
  reason?: string;
}

export type SecurityLog = (e: SecurityEvent) => void;

const REFUSALS: ReadonlySet<SecurityEvent['event']> = new Set(['login_failed', 'locked_out', 'forbidden']);

/** Security events as lines of `log`, their fields kept as fields: a refusal at warn, a store failure at error, the rest at info. */
export function securityLogOf(log: Log): SecurityLog {
  return (e) => (e.event === 'session_store_failed' ? log.error(e, e.event) : REFUSALS.has(e.event) ? log.warn(e, e.event) : log.info(e, e.event));
}
