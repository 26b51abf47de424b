import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MotorDatabase } from '../../src/main/store/database';
import { TelemetryWriter } from '../../src/main/store/telemetryWriter';
import { runCli } from '../support/cli';
import { tempDir } from '../support/tools';

// `motortwin export` for a motor with nothing to export says why and writes no file, instead of a
// header-only file and "wrote 0 rows".
const PER_PROCESS_MS = 20_000; // one CLI process loading DuckDB takes up to ~10 s at a load average of 20-25

const T0 = Date.parse('2026-03-01T10:00:00Z');

async function writeHistory(dataDir: string, devices: string[]): Promise<void> {
  const db = await MotorDatabase.open(join(dataDir, 'motortwin.duckdb'));
  const w = new TelemetryWriter(db);
  for (const deviceId of devices) {
    for (let i = 0; i < 20; i++) w.enqueue({ deviceId, ts: T0 + i * 1000, receivedAt: T0 + i * 1000, seq: i, tsSuspect: false, source: 'mqtt', values: { temperature: 40 + i } });
  }
  await w.close();
  db.close();
}

describe('motortwin export with nothing to export', () => {
  it('a motor with no history: says so, lists the motors that have some, writes no file, exits 1', async () => {
    const dataDir = tempDir();
    await writeHistory(dataDir, ['motor_b', 'motor_a']);
    const out = join(dataDir, 'nobody.csv');
    const r = await runCli(['export', '--device', 'nobody', '--out', out, '--data-dir', dataDir, '--from', String(T0), '--to', String(T0 + 60_000)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no history for motor 'nobody' in ${dataDir}: known motors: motor_a, motor_b`);
    expect(r.stdout).not.toMatch(/wrote/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('nobody'))).toEqual([]);
  }, 2 * PER_PROCESS_MS);

  it('a motor with history outside the range: says the span it has, writes no file, exits 3; inside it exports', async () => {
    const dataDir = tempDir();
    await writeHistory(dataDir, ['motor_a']);
    const out = join(dataDir, 'a.csv');
    const empty = await runCli(['export', '--device', 'motor_a', '--out', out, '--data-dir', dataDir, '--from', '2026-04-01T00:00:00Z', '--to', '2026-04-02T00:00:00Z']);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain("no readings of motor 'motor_a' from 2026-04-01T00:00:00.000Z to 2026-04-02T00:00:00.000Z");
    expect(empty.stderr).toContain('its history runs from 2026-03-01T10:00:00.000Z to 2026-03-01T10:00:19.000Z');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
    const full = await runCli(['export', '--device', 'motor_a', '--out', out, '--data-dir', dataDir, '--from', String(T0), '--to', String(T0 + 60_000)]);
    expect(full.stderr).toBe('');
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/wrote 20 rows/);
    expect(existsSync(out)).toBe(true);
  }, 3 * PER_PROCESS_MS);

  it('a data folder with no database: says so and creates none', async () => {
    const dataDir = join(tempDir(), 'typo');
    const r = await runCli(['export', '--device', 'motor_a', '--out', join(tempDir(), 'a.csv'), '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no MotorTwin history in ${dataDir}: it has no motortwin.duckdb`);
    expect(existsSync(dataDir)).toBe(false);
  }, PER_PROCESS_MS);
});
