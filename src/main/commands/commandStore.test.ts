import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from '../store/database';
import { CommandStore } from './commandStore';

const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

describe('CommandStore.exportAudit', () => {
  it('neutralises a formula and control bytes in an operator name, in every text cell, in the written CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-csv-'));
    const db = await MotorDatabase.open(join(dir, 'a.duckdb'));
    try {
      const store = new CommandStore(db, (what, e) => {
        throw new Error(`${what}: ${e.message}`);
      });
      store.audit({ ts: T0, deviceId: 'motor_01', kind: 'command', commandId: 'c-1', actor: '=HYPERLINK("http://evil.example","x")\u0000\u001b', text: '@SUM(1+1)' });
      store.audit({ ts: T0 + 1, deviceId: 'motor_01', kind: 'approval', commandId: '-2+3', actor: '\tcmd', text: 'approved by Ana, set-point -3.2' });
      const file = join(dir, 'audit.csv');
      expect(await store.exportAudit(file, 'motor_01')).toBe(2);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
      const lines = text.trim().split('\n');
      expect(lines[0]).toBe('ts,device_id,kind,command_id,actor,text');
      expect(lines[1]).toBe(`2026-11-27 08:00:00,motor_01,command,c-1,"'=HYPERLINK(""http://evil.example"",""x"")\uFFFD\uFFFD",'@SUM(1+1)`);
      expect(lines[2]).toBe(`2026-11-27 08:00:00.001,motor_01,approval,'-2+3,'\tcmd,"approved by Ana, set-point -3.2"`);
    } finally {
      db.close();
    }
  });
});
