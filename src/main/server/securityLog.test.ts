import { describe, expect, it } from 'vitest';
import { createLog } from '../platform/log';
import { securityLogOf } from './securityLog';

describe("the server's security lines", () => {
  it('go to the log of part security with their fields, a refusal as a warning, a store failure as an error', () => {
    const lines: string[] = [];
    const log = createLog({ format: 'json', to: { write: (l: string) => lines.push(l) } }).child({ part: 'security' });
    const security = securityLogOf(log);
    security({ event: 'login', user: 'ana', role: 'approver', address: '127.0.0.1' });
    security({ event: 'forbidden', user: 'bo', role: 'viewer', reason: 'approving a command needs the approver role' });
    security({ event: 'session_store_failed', reason: 'recording a session as used: connection terminated' });
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 30, part: 'security', msg: 'login', event: 'login', user: 'ana', role: 'approver', address: '127.0.0.1' }),
      expect.objectContaining({ level: 40, part: 'security', msg: 'forbidden', event: 'forbidden', user: 'bo', reason: 'approving a command needs the approver role' }),
      expect.objectContaining({ level: 50, part: 'security', msg: 'session_store_failed', reason: 'recording a session as used: connection terminated' }),
    ]);
  });
});
