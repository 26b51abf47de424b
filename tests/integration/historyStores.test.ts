import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MotorDatabase } from '../../src/main/store/database';
import { DuckHistorian, type Historian } from '../../src/main/store/historian';
import { PgStore } from '../../src/main/store/postgres/pgStore';
import { PgHistorian } from '../../src/main/store/postgres/pgHistorian';
import { historySql } from '../../src/main/store/postgres/pgHistory';
import type { TelemetryRow } from '../../src/main/store/telemetryWriter';
import type { HistoryResult } from '../../src/shared/contract';
import { CommandStore, type CommandRecords } from '../../src/main/commands/commandStore';
import { PgCommandStore } from '../../src/main/store/postgres/pgCommandStore';
import type { CommandRecord } from '../../src/shared/commandsContract';
import { HealthStore } from '../../src/main/health/healthStore';
import { PgAlarmStore } from '../../src/main/store/postgres/pgAlarmStore';
import type { Alarm, AlarmTransition } from '../../src/shared/healthContract';
import { startPostgres, type Postgres } from '../support/postgres';
import { tempDir } from '../support/tools';

// The same history API from both stores: the same input written through each historian's writer and
// rollups must give the same trends at every resolution, the same latest readings and the same CSV.

const start = Date.UTC(2026, 0, 1);

/** Three days at one reading per 10 s with a daily cycle and some gaps, two motors, then a late row. */
function rows(): TelemetryRow[] {
  const out: TelemetryRow[] = [];
  for (let i = 0; i < 3 * 8640; i++) {
    const ts = start + i * 10_000;
    const temperature = i % 97 === 0 ? null : 50 + 10 * Math.sin((2 * Math.PI * i) / 8640);
    out.push({ deviceId: 'm1', ts, receivedAt: ts + 40, seq: i, tsSuspect: false, source: 'mqtt', values: { temperature, rpm: 1480, vibration: 0.01 + (i % 13) / 1000 } });
    if (i % 3 === 0) out.push({ deviceId: 'm2', ts: ts + 1, receivedAt: ts + 50, seq: i, tsSuspect: i % 300 === 0, source: 'serial', values: { temperature: 40, current: 12.5 } });
  }
  return out;
}

async function fill(h: Historian): Promise<void> {
  const rollups = h.rollups();
  const writer = h.telemetryWriter({ flushRows: 1e9, onFlush: (r) => r.earliestByDevice.forEach((ts, id) => rollups.markDirty(id, ts)) });
  for (const r of rows()) writer.enqueue(r);
  await writer.flush();
  await rollups.run();
  // Late data for the first hour arrives after the rollups ran: they must be recomputed.
  writer.enqueue({ deviceId: 'm1', ts: start + 5_000, receivedAt: start + 86_400_000, seq: null, tsSuspect: false, source: 'mqtt', values: { temperature: 99 } });
  await writer.flush();
  await rollups.run();
  await writer.close();
}

const queries = [
  { id: 'm1', metrics: ['temperature', 'rpm', 'vibration'], from: start, to: start + 3 * 86_400_000, maxPoints: 60 },
  { id: 'm1', metrics: ['temperature'], from: start, to: start + 6 * 3600_000, maxPoints: 100 },
  { id: 'm1', metrics: ['temperature', 'vibration'], from: start, to: start + 10 * 60_000, maxPoints: 1000 },
  { id: 'm2', metrics: ['temperature', 'current'], from: start - 3600_000, to: start + 2 * 86_400_000, maxPoints: 300 },
  { id: 'nobody', metrics: ['temperature'], from: start, to: start + 3600_000, maxPoints: 100 },
];

function expectSame(a: HistoryResult, b: HistoryResult): void {
  expect(b.resolution).toBe(a.resolution);
  expect(b.bucketMs).toBe(a.bucketMs);
  expect(b.t).toEqual(a.t);
  for (const [m, s] of Object.entries(a.series)) {
    for (const k of ['min', 'max', 'avg'] as const) {
      const other = b.series[m as keyof HistoryResult['series']]![k];
      expect(other.length).toBe(s[k].length);
      s[k].forEach((v, i) => (v === null ? expect(other[i]).toBeNull() : expect(other[i]).toBeCloseTo(v, 9)));
    }
  }
}

describe('history from DuckDB and from PostgreSQL', () => {
  let pg: Postgres;
  let db: MotorDatabase;
  let duck: Historian;
  let post: Historian;
  let duckCommands: CommandRecords;
  let postCommands: CommandRecords;
  const commandErrors: string[] = [];
  const dir = tempDir();

  beforeAll(async () => {
    pg = await startPostgres();
    db = await MotorDatabase.open(join(dir, 'h.duckdb'));
    duck = new DuckHistorian(db);
    post = new PgHistorian(await PgStore.open(pg.url));
    duckCommands = new CommandStore(db, (what, e) => commandErrors.push(`${what}: ${e.message}`));
    postCommands = new PgCommandStore((post as PgHistorian).store, (what, e) => commandErrors.push(`${what}: ${e.message}`));
    await fill(duck);
    await fill(post);
  }, 120_000);
  afterAll(async () => {
    await post?.close();
    db?.close();
    pg?.destroy();
  });

  it('answers every trend query alike, at every resolution', async () => {
    const resolutions = new Set<string>();
    for (const q of queries) {
      const a = await duck.history(q as never);
      const b = await post.history(q as never);
      resolutions.add(a.resolution);
      expectSame(a, b);
    }
    expect([...resolutions].sort()).toEqual(['1h', '1m', 'raw']);
    const coarse = await post.history(queries[0] as never);
    expect(coarse.t.length).toBe(36);
    expect(coarse.series.temperature!.max[0]).toBe(99); // the late row is in the rollup
  });

  it("groups a month's trend in a hash of its buckets, not by sorting every rollup row", async () => {
    // 30 days of 1-minute rollups (43,200 rows): PostgreSQL once expected as many buckets as rows, so it
    // sorted them all, on disk past the default work_mem, and took 2.7x DuckDB's time for the same trend.
    const store = (post as PgHistorian).store;
    const from = Date.UTC(2026, 1, 1);
    const to = from + 30 * 86_400_000;
    await store.pool.query(
      `INSERT INTO telemetry_1m (device_id, bucket, n, temperature_min, temperature_max, temperature_sum, temperature_n)
       SELECT 'month', to_timestamp($1::DOUBLE PRECISION / 1000) + i * INTERVAL '1 minute', 60, 50, 60, 3300, 60 FROM generate_series(0, 43199) AS i`,
      [from],
    );
    await store.pool.query('ANALYZE telemetry_1m');
    const q = { id: 'month', metrics: ['temperature'], from, to, maxPoints: 2000 };
    const { sql, resolution, bucketMs } = historySql(q as never);
    expect(resolution).toBe('1m');
    const { rows } = await store.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, ['month', from, to, bucketMs]);
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (n: Record<string, unknown>) => {
      nodes.push(n);
      for (const c of (n.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(c);
    };
    walk((rows[0]['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
    const aggregate = nodes.find((n) => n['Node Type'] === 'Aggregate');
    expect(aggregate?.Strategy).toBe('Hashed');
    expect(aggregate?.['Actual Rows']).toBe(1440);
    // What is left to sort is the buckets, never the rows read.
    for (const n of nodes.filter((x) => x['Node Type'] === 'Sort')) expect(n['Actual Rows']).toBeLessThanOrEqual(1440);
    const trend = await post.history(q as never);
    expect(trend.t.length).toBe(1440);
    expect(trend.series.temperature!.avg.every((v) => v === 55)).toBe(true);
  });

  it('gives the same latest readings and recent keys', async () => {
    const names = ['temperature', 'current', 'rpm'];
    const sort = <T extends { deviceId: string }>(x: T[]) => x.sort((p, q) => p.deviceId.localeCompare(q.deviceId));
    expect(sort(await post.latestReadings(names))).toEqual(sort(await duck.latestReadings(names)));
  });

  it('exports the same CSV', async () => {
    const req = { id: 'm2', from: start, to: start + 86_400_000, format: 'csv' as const };
    const a = await duck.exportTo(req, join(dir, 'a.csv'));
    const b = await post.exportTo(req, join(dir, 'b.csv'));
    expect(b.rows).toBe(a.rows);
    expect(a.rows).toBe(2880);
    expect(readFileSync(b.file, 'utf8')).toBe(readFileSync(a.file, 'utf8'));
  });

  it('exports Parquet with the same rows', async () => {
    const req = { id: 'm1', from: start, to: start + 3600_000, format: 'parquet' as const };
    const b = await post.exportTo(req, join(dir, 'b.parquet'));
    const a = await duck.exportTo(req, join(dir, 'a.parquet'));
    expect(b.rows).toBe(a.rows);
    const read = (f: string) => db.query(`SELECT * EXCLUDE (received_at) FROM read_parquet('${f}') ORDER BY ts, seq`);
    expect(await read(b.file)).toEqual(await read(a.file));
  });

  it('keeps commands, limits, set-points and the audit trail alike, and exports the same audit CSV', async () => {
    const answers = [];
    for (const [name, store] of [['duck', duckCommands], ['post', postCommands]] as const) {
      await fillCommands(store);
      await store.flush();
      answers.push({
        open: await store.commands({ open: true }),
        m1: await store.commands({ deviceId: 'm1', limit: 2 }),
        all: await store.commands(),
        policies: [...(await store.policies())],
        setpoints: await store.setpoints(),
        trail: await store.auditTrail('m1', 3),
        trailAll: await store.auditTrail(),
        exported: await store.exportAudit(join(dir, `${name}-audit.csv`)),
      });
    }
    expect(commandErrors).toEqual([]);
    expect(answers[0].open.map((c) => c.id)).toEqual(['c3', 'c1']);
    expect(answers[0].trail.map((a) => a.text)).toEqual(['=SUM(1) sent', 'c2 applied', 'c1 approved by ann']);
    expect(answers[1]).toEqual(answers[0]);
    expect(readFileSync(join(dir, 'post-audit.csv'), 'utf8')).toBe(readFileSync(join(dir, 'duck-audit.csv'), 'utf8'));
  });

  it('keeps alarms and their transitions alike', async () => {
    const answers = [];
    for (const store of [new HealthStore(db), new HealthStore(db, undefined, new PgAlarmStore((post as PgHistorian).store, (what, e) => commandErrors.push(`${what}: ${e.message}`)))]) {
      fillAlarms(store);
      await store.flush();
      answers.push({
        alarms: (await store.alarms(10)).sort((a, b) => a.id.localeCompare(b.id)),
        transitions: await store.transitions({ id: 'm1', limit: 10 }),
        ofOne: await store.transitions({ alarmId: 'stale', from: start + 2000, limit: 10 }),
        stored: await store.alarmsOf('m1'),
      });
    }
    expect(commandErrors).toEqual([]);
    expect(answers[0].alarms.map((a) => `${a.id} ${a.state} ${a.ackComment}`)).toEqual(['overheating active_acked seen', 'stale cleared_acked null']);
    expect(answers[0].transitions).toHaveLength(4);
    expect(answers[0].ofOne.map((x) => x.action)).toEqual(['clear']);
    expect(answers[1]).toEqual(answers[0]);
  });
});

const alarm = (id: string, state: Alarm['state'], updatedAt: number, more: Partial<Alarm> = {}): Alarm => ({
  id,
  motorId: 'm1',
  condition: id.toUpperCase(),
  severity: 'major',
  state,
  source: 'rule',
  message: `${id} on m1`,
  raisedAt: start + 1000,
  updatedAt,
  clearedAt: null,
  ackedAt: null,
  ackComment: null,
  shelvedUntil: null,
  repeats: 0,
  ...more,
});

function fillAlarms(store: HealthStore): void {
  const t = (alarmId: string, ts: number, action: AlarmTransition['action'], from: AlarmTransition['from'], to: AlarmTransition['to'], comment: string | null = null): AlarmTransition => ({
    alarmId,
    motorId: 'm1',
    ts,
    action,
    from,
    to,
    comment,
    message: `${alarmId} ${action}`,
  });
  store.saveAlarm(alarm('overheating', 'active_unacked', start + 1000), t('overheating', start + 1000, 'raise', null, 'active_unacked'));
  store.saveAlarm(alarm('overheating', 'active_acked', start + 2000, { ackedAt: start + 2000, ackComment: 'seen' }), t('overheating', start + 2000, 'ack', 'active_unacked', 'active_acked', 'seen'));
  store.saveAlarm(alarm('stale', 'active_unacked', start + 1500, { source: 'sensor', severity: 'minor' }), t('stale', start + 1500, 'raise', null, 'active_unacked'));
  store.saveAlarm(
    alarm('stale', 'cleared_acked', start + 3000, { source: 'sensor', severity: 'minor', clearedAt: start + 2500, ackedAt: start + 3000 }),
    t('stale', start + 3000, 'clear', 'active_unacked', 'cleared_acked'),
  );
}

const command = (id: string, deviceId: string, status: CommandRecord['status'], createdAt: number): CommandRecord => ({
  id,
  deviceId,
  action: 'SET_SPEED',
  value: 1200,
  issuer: { kind: 'person', name: 'ann' },
  reason: 'test',
  status,
  detail: null,
  transport: 'mqtt',
  createdAt,
  updatedAt: createdAt,
  sentAt: null,
  expiresAt: createdAt + 60_000,
  approvedBy: null,
  overrideReason: null,
});

async function fillCommands(store: CommandRecords): Promise<void> {
  store.saveCommand(command('c1', 'm1', 'pending_approval', start + 1000));
  store.saveCommand(command('c2', 'm1', 'sent', start + 2000));
  store.saveCommand({ ...command('c2', 'm1', 'applied', start + 2000), updatedAt: start + 2500, detail: 'ok' });
  store.saveCommand(command('c3', 'm2', 'sent', start + 3000));
  store.savePolicy('m1', { actions: { STOP: { allowed: true, min: null, max: null } }, perMinute: 10, ackTimeoutS: 30, apiWithoutApproval: ['IDENTIFY'] } as never);
  store.saveSetpoints({ deviceId: 'm1', values: {} });
  store.audit({ ts: start + 1000, deviceId: 'm1', kind: 'approval', commandId: 'c1', actor: 'ann', text: 'c1 approved by ann' });
  store.audit({ ts: start + 2500, deviceId: 'm1', kind: 'acknowledgement', commandId: 'c2', actor: 'm1', text: 'c2 applied' });
  store.audit({ ts: start + 2500, deviceId: 'm1', kind: 'command', commandId: 'c2', actor: 'ann', text: '=SUM(1) sent' });
  store.audit({ ts: start + 4000, deviceId: null, kind: 'alert', commandId: null, actor: 'MotorTwin', text: 'webhook\u0001 failed' });
}
