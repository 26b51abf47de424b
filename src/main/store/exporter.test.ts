import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from './database';
import { exportHistory } from './exporter';
import { TelemetryWriter } from './telemetryWriter';

const EVIL = '=HYPERLINK("http://evil.example","x")\u0000\u001b[31m';
const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

describe('exportHistory (CSV)', () => {
  it('neutralises formulas and control bytes in text columns and leaves numbers as numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'export-csv-'));
    const db = await MotorDatabase.open(join(dir, 'h.duckdb'));
    try {
      const w = new TelemetryWriter(db);
      w.enqueue({ deviceId: 'm_csv', ts: T0, receivedAt: T0, seq: 1, tsSuspect: false, source: EVIL, values: { temperature: -3.2, current: 12.5 } });
      w.enqueue({ deviceId: 'm_csv', ts: T0 + 1000, receivedAt: T0 + 1000, seq: 2, tsSuspect: false, source: '+SUM(A1)', values: { temperature: -40 } });
      await w.close();
      const file = join(dir, 'out.csv');
      const result = await exportHistory(db, { id: 'm_csv', from: T0 - 1, to: T0 + 60_000, format: 'csv' }, file);
      expect(result.rows).toBe(2);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
      const [header, ...lines] = text.trim().split('\n');
      const cols = header.split(',');
      // Split on commas outside quotes: the neutralised formula keeps its own quoted commas.
      const cells = lines.map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')));
      const at = (row: number, name: string) => cells[row][cols.indexOf(name)];
      expect(at(0, 'source')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")\uFFFD\uFFFD[31m"`);
      expect(at(1, 'source')).toBe(`'+SUM(A1)`);
      expect(at(0, 'temperature')).toBe('-3.2');
      expect(at(1, 'temperature')).toBe('-40.0');
      expect(at(0, 'seq')).toBe('1');
    } finally {
      db.close();
    }
  });
});
