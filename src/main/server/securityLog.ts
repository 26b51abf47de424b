// What the server's front door tells an operator: logins, failed logins, lockouts and actions a role may not
// do. One JSON line each on standard error (the server's log), never a password or a session secret.

export interface SecurityEvent {
  event: 'login' | 'login_failed' | 'locked_out' | 'logout' | 'forbidden' | 'session_ended' | 'session_store_failed';
  user?: string;
  role?: string;
  address?: string;
  reason?: string;
}

export type SecurityLog = (e: SecurityEvent) => void;

export const stderrSecurityLog: SecurityLog = (e) => process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), ...e })}\n`);
