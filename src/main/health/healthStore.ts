import { blobValueFromBytes, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { ruleSchema, type Alarm, type AlarmTransition, type HealthSnapshot, type Rule, type WaveformAnalysis, healthSnapshotSchema, waveformAnalysisSchema, alarmSchema } from '../../shared/healthContract';
import type { MotorDatabase } from '../store/database';
import { savedBaselineSchema, type SavedBaseline } from './stateBaseline';
import { motorRuleStateSchema, type MotorRuleState } from './rules';
import { BatchedRows } from './batchedRows';

// DuckDB persistence of the health part: rule sets and rule state, alarms and every transition, health
// samples and each motor's latest snapshot, anomaly baselines, waveforms and their analyses. Writes go
// through one ordered queue off the telemetry path; a failed write is logged and never stops the engine. What
// is read back is validated.

const ts = (ms: number | null) => (ms === null ? 'NULL' : `make_timestamp(${Math.round(ms)}::BIGINT * 1000)`);
const ms = (col: string) => `epoch_ms(${col})::DOUBLE`;
/** An alarm row over its stored one: the row is the alarm's newest state. */
const ALARM_UPSERT = `ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state, message = excluded.message, updated_at = excluded.updated_at,
  cleared_at = excluded.cleared_at, acked_at = excluded.acked_at, ack_comment = excluded.ack_comment, shelved_until = excluded.shelved_until, repeats = excluded.repeats`;
/** How long the frequent rows (rule state, health samples, latest snapshots) wait to go in one statement. */
const BATCH_MS = 1000;

/** A stored alarm row as GET /api/alarms lists it (times in ms since the epoch, or null). */
export interface StoredAlarm {
  id: string;
  condition: string;
  severity: string;
  state: string;
  source: string;
  message: string;
  raised_at: number;
  cleared_at: number | null;
  acked_at: number | null;
  repeats: number;
}

/** Alarms and their transitions kept outside the DuckDB file (store/postgres/pgAlarmStore.ts). */
export interface AlarmRecords {
  flush(): Promise<void>;
  alarms(closedKept: number): Promise<Alarm[]>;
  saveAlarm(a: Alarm, t: AlarmTransition): void;
  transitions(q: { id?: string; alarmId?: string; from?: number; limit: number }): Promise<AlarmTransition[]>;
  alarmsOf(deviceId: string): Promise<StoredAlarm[]>;
}

export class HealthStore {
  private queue: Promise<void> = Promise.resolve();
  private readonly ruleStateRows = new BatchedRows(
    'saving rule state',
    'INSERT INTO rule_state',
    'ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
  );
  private readonly sampleRows = new BatchedRows('saving a health sample', 'INSERT INTO health_samples');
  private readonly latestRows = new BatchedRows('saving the latest assessment', 'INSERT INTO health_latest', 'ON CONFLICT (device_id) DO UPDATE SET ts = excluded.ts, snapshot = excluded.snapshot');
  private batchTimer: ReturnType<typeof setTimeout> | null = null;
  /** Batch statements queued and not yet run. */
  private batchesQueued = 0;
  errors = 0;

  constructor(
    private readonly db: MotorDatabase,
    private readonly onError: (what: string, e: Error) => void = () => undefined,
    /** Where alarms and their transitions live when not in this file (a plant server's PostgreSQL). */
    private readonly alarmRecords: AlarmRecords | null = null,
  ) {}

  /** Writes asked for and not yet done, and since when DuckDB has been running the current one. */
  private waitingWrites = 0;
  private runningSince: number | null = null;

  private write(what: string, sql: string, params: DuckDBValue[]): void {
    this.waitingWrites++;
    this.queue = this.queue.then(async () => {
      this.runningSince = Date.now();
      await this.db.run(sql, params).catch((e: Error) => {
        this.errors++;
        this.onError(what, e);
      });
      this.runningSince = null;
      this.waitingWrites--;
    });
  }

  /** Statements that stand or fall together, on a connection of their own (the writer's is shared). */
  private writeTogether(what: string, statements: Array<{ sql: string; params: DuckDBValue[] }>): void {
    this.waitingWrites++;
    this.queue = this.queue.then(async () => {
      this.runningSince = Date.now();
      const conn = await this.db.connect();
      try {
        await conn.run('BEGIN TRANSACTION');
        for (const s of statements) await conn.run(s.sql, s.params);
        await conn.run('COMMIT');
      } catch (e) {
        // A failed COMMIT has rolled back already; the first error is the one reported.
        await conn.run('ROLLBACK').catch(() => undefined);
        this.errors++;
        this.onError(what, e as Error);
      } finally {
        conn.closeSync();
      }
      this.runningSince = null;
      this.waitingWrites--;
    });
  }

  /**
   * What a close that overruns is waiting for, or null. At a stop under load the queue is short (2-3
   * writes), but one write can wait seconds on DuckDB: a checkpoint of its write-ahead log holds commits.
   */
  waiting(now = Date.now()): string | null {
    if (!this.waitingWrites) return null;
    const running = this.runningSince === null ? '' : `, DuckDB has been running one for ${((now - this.runningSince) / 1000).toFixed(1)} s`;
    return `${this.waitingWrites} write${this.waitingWrites === 1 ? '' : 's'} waiting${running}`;
  }

  /** A row for one of the batched tables; the batch is queued as one statement within BATCH_MS. */
  private writeBatched(batch: BatchedRows, key: string | null, row: (param: (v: DuckDBValue) => string) => string): void {
    batch.add(key, row);
    // Unref'd: the engine's close flushes what waits, and a pending batch must not keep a process alive.
    this.batchTimer ??= setTimeout(() => this.queueBatches(), BATCH_MS).unref();
  }

  /**
   * While the last batches still wait their turn, the rows keep gathering (a motor's newer rule state or
   * assessment replacing its older one) instead of queueing another statement a second: under load, when
   * DuckDB took over a second a statement, 300-400 statements piled up and a stop waited >10 s for them.
   */
  private queueBatches(force = false): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.batchesQueued > 0 && !force) {
      this.batchTimer = setTimeout(() => this.queueBatches(), BATCH_MS).unref();
      return;
    }
    for (const batch of [this.ruleStateRows, this.sampleRows, this.latestRows]) {
      const statement = batch.take();
      if (!statement) continue;
      this.batchesQueued++;
      this.write(batch.what, statement.sql, statement.params);
      this.queue = this.queue.then(() => void this.batchesQueued--);
    }
  }

  /** Resolves when every write asked for so far has run. */
  async flush(): Promise<void> {
    this.queueBatches(true);
    await Promise.all([this.queue, this.alarmRecords?.flush()]);
  }

  async ruleSets(): Promise<Array<{ scope: 'motor' | 'model'; key: string; rules: Rule[] }>> {
    const rows = await this.db.query('SELECT scope, key, rules::VARCHAR AS rules FROM rule_sets');
    return rows.flatMap((r) => {
      const rules = z.array(ruleSchema).safeParse(JSON.parse(String(r.rules)));
      return rules.success && (r.scope === 'motor' || r.scope === 'model') ? [{ scope: r.scope, key: String(r.key), rules: rules.data }] : [];
    });
  }

  saveRuleSet(scope: 'motor' | 'model', key: string, rules: Rule[]): void {
    this.write(
      'saving rules',
      `INSERT INTO rule_sets VALUES ($1, $2, $3::JSON, now()::TIMESTAMP) ON CONFLICT (scope, key) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
      [scope, key, JSON.stringify(rules)],
    );
  }

  async ruleStates(): Promise<Map<string, MotorRuleState>> {
    const rows = await this.db.query('SELECT device_id, state::VARCHAR AS state FROM rule_state');
    const out = new Map<string, MotorRuleState>();
    for (const r of rows) {
      const s = motorRuleStateSchema.safeParse(JSON.parse(String(r.state)));
      if (s.success) out.set(String(r.device_id), s.data);
    }
    return out;
  }

  saveRuleState(deviceId: string, state: MotorRuleState): void {
    const json = JSON.stringify(state);
    this.writeBatched(this.ruleStateRows, deviceId, (p) => `(${p(deviceId)}, ${p(json)}::JSON, now()::TIMESTAMP)`);
  }

  /** Open alarms, and the most recent closed ones. */
  async alarms(closedKept: number): Promise<Alarm[]> {
    if (this.alarmRecords) return this.alarmRecords.alarms(closedKept);
    const cols = `id, device_id, condition, severity, state, source, message, ${ms('raised_at')} AS raised_at, ${ms('updated_at')} AS updated_at,
      ${ms('cleared_at')} AS cleared_at, ${ms('acked_at')} AS acked_at, ack_comment, ${ms('shelved_until')} AS shelved_until, repeats`;
    const rows = await this.db.query(
      `SELECT ${cols} FROM alarms WHERE state <> 'cleared_acked'
       UNION ALL (SELECT ${cols} FROM alarms WHERE state = 'cleared_acked' ORDER BY updated_at DESC LIMIT $1)`,
      [closedKept],
    );
    return rows.flatMap((r) => {
      const a = alarmSchema.safeParse({
        id: r.id,
        motorId: r.device_id,
        condition: r.condition,
        severity: r.severity,
        state: r.state,
        source: r.source,
        message: r.message,
        raisedAt: r.raised_at,
        updatedAt: r.updated_at,
        clearedAt: r.cleared_at ?? null,
        ackedAt: r.acked_at ?? null,
        ackComment: r.ack_comment ?? null,
        shelvedUntil: r.shelved_until ?? null,
        repeats: r.repeats,
      });
      return a.success ? [a.data] : [];
    });
  }

  saveAlarm(a: Alarm, t: AlarmTransition): void {
    if (this.alarmRecords) return this.alarmRecords.saveAlarm(a, t);
    this.saveAlarms([{ alarm: a, transition: t }]);
  }

  /**
   * Alarm changes in the order they happened (an import's replay: hundreds at once), written as one transaction
   * of two statements: each alarm's newest state, and every transition. One statement per change cost about
   * 50 ms each (345 changes took 17.5 s).
   */
  saveAlarms(changes: ReadonlyArray<{ alarm: Alarm; transition: AlarmTransition }>): void {
    if (this.alarmRecords) {
      for (const c of changes) this.alarmRecords.saveAlarm(c.alarm, c.transition);
      return;
    }
    if (!changes.length) return;
    const alarms = new BatchedRows('saving alarms', 'INSERT INTO alarms', ALARM_UPSERT);
    const transitions = new BatchedRows('saving alarm transitions', 'INSERT INTO alarm_transitions');
    for (const { alarm: a, transition: t } of changes) {
      // Keyed by id: an alarm raised and cleared within the changes is one row, its newest state.
      alarms.add(a.id, (p) => `(${[a.id, a.motorId, a.condition, a.severity, a.state, a.source, a.message].map(p).join(', ')}, ${ts(a.raisedAt)}, ${ts(a.updatedAt)}, ${ts(a.clearedAt)}, ${ts(a.ackedAt)}, ${p(a.ackComment)}, ${ts(a.shelvedUntil)}, ${p(a.repeats)})`);
      transitions.add(null, (p) => `(${p(t.alarmId)}, ${p(t.motorId)}, ${ts(t.ts)}, ${[t.action, t.from, t.to, t.comment, t.message].map(p).join(', ')})`);
    }
    this.writeTogether(changes.length === 1 ? 'saving an alarm' : `saving ${changes.length} alarm changes`, [alarms.take()!, transitions.take()!]);
  }

  async transitions(q: { id?: string; alarmId?: string; from?: number; limit: number }): Promise<AlarmTransition[]> {
    await this.flush();
    if (this.alarmRecords) return this.alarmRecords.transitions(q);
    const where: string[] = [];
    const params: DuckDBValue[] = [];
    if (q.id) where.push(`device_id = $${params.push(q.id)}`);
    if (q.alarmId) where.push(`alarm_id = $${params.push(q.alarmId)}`);
    if (q.from !== undefined) where.push(`ts >= ${ts(q.from)}`);
    const rows = await this.db.query(
      `SELECT alarm_id, device_id, ${ms('ts')} AS ts, action, from_state, to_state, comment, message FROM alarm_transitions
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC LIMIT ${Math.floor(q.limit)}`,
      params,
    );
    return rows.map(transitionOfRow);
  }

  /** A motor's alarms as stored, oldest first, times in ms (GET /api/alarms). */
  async alarmsOf(deviceId: string): Promise<StoredAlarm[]> {
    await this.flush();
    if (this.alarmRecords) return this.alarmRecords.alarmsOf(deviceId);
    const rows = await this.db.query(
      `SELECT id, condition, severity, state, source, message, ${ms('raised_at')} AS raised_at, ${ms('cleared_at')} AS cleared_at, ${ms('acked_at')} AS acked_at, repeats
       FROM alarms WHERE device_id = $1 ORDER BY raised_at, id`,
      [deviceId],
    );
    return rows as unknown as StoredAlarm[];
  }

  /** A sample for the history, and the whole snapshot (assessment included) as the motor's latest. */
  saveHealthSample(s: HealthSnapshot): void {
    const subScores = JSON.stringify(s.subScores);
    const drivers = JSON.stringify(s.anomaly.drivers);
    const { score, threshold, abnormal } = s.anomaly;
    this.writeBatched(this.sampleRows, null, (p) => `(${p(s.id)}, ${ts(s.ts)}, ${p(s.index)}, ${p(subScores)}::JSON, ${p(score)}, ${p(threshold)}, ${p(abnormal)}, ${p(drivers)}::JSON)`);
    const snapshot = JSON.stringify(s);
    this.writeBatched(this.latestRows, s.id, (p) => `(${p(s.id)}, ${ts(s.ts)}, ${p(snapshot)}::JSON)`);
  }

  /** Each motor's last stored snapshot: the assessment an engine without live data answers with. */
  async latestSnapshots(): Promise<Map<string, HealthSnapshot>> {
    const rows = await this.db.query('SELECT device_id, snapshot::VARCHAR AS snapshot FROM health_latest');
    const out = new Map<string, HealthSnapshot>();
    for (const r of rows) {
      const s = healthSnapshotSchema.safeParse(JSON.parse(String(r.snapshot)));
      if (s.success) out.set(String(r.device_id), s.data);
    }
    return out;
  }

  /** Each motor's last waveform analysis, so a restarted engine judges its bearing as before. */
  async latestAnalyses(): Promise<Map<string, WaveformAnalysis>> {
    const rows = await this.db.query('SELECT device_id, summary::VARCHAR AS summary FROM waveform_analyses QUALIFY row_number() OVER (PARTITION BY device_id ORDER BY ts DESC) = 1');
    const out = new Map<string, WaveformAnalysis>();
    for (const r of rows) {
      const a = waveformAnalysisSchema.safeParse(JSON.parse(String(r.summary)));
      if (a.success) out.set(String(r.device_id), a.data);
    }
    return out;
  }

  async baselines(): Promise<Map<string, SavedBaseline>> {
    const rows = await this.db.query(`SELECT device_id, ${ms('learned_at')} AS learned_at, baseline::VARCHAR AS baseline FROM anomaly_baselines`);
    const out = new Map<string, SavedBaseline>();
    for (const r of rows) {
      // A baseline of the older one-state shape fails here: the motor learns a new one.
      const b = savedBaselineSchema.omit({ learnedAt: true }).safeParse(JSON.parse(String(r.baseline)));
      if (b.success) out.set(String(r.device_id), { ...b.data, learnedAt: Number(r.learned_at) });
    }
    return out;
  }

  saveBaseline(deviceId: string, b: SavedBaseline): void {
    const { learnedAt, ...baseline } = b;
    this.write(
      'saving an anomaly baseline',
      `INSERT INTO anomaly_baselines VALUES ($1, ${ts(learnedAt)}, $2::JSON) ON CONFLICT (device_id) DO UPDATE SET learned_at = excluded.learned_at, baseline = excluded.baseline`,
      [deviceId, JSON.stringify(baseline)],
    );
  }

  saveWaveform(deviceId: string, analysis: WaveformAnalysis, raw: { seq: number | null; scale: number; samples: string }): void {
    this.write('saving a waveform', `INSERT INTO waveforms VALUES ($1, ${ts(analysis.ts)}, $2, $3, $4, $5, $6)`, [
      deviceId,
      analysis.axis,
      raw.seq,
      analysis.fs,
      raw.scale,
      blobValueFromBytes(Buffer.from(raw.samples, 'base64')),
    ]);
    this.write('saving a waveform analysis', `INSERT INTO waveform_analyses VALUES ($1, ${ts(analysis.ts)}, $2, $3, $4, $5, $6::JSON)`, [
      deviceId,
      analysis.axis,
      analysis.diagnosis?.fault ?? null,
      analysis.diagnosis?.confidence ?? null,
      analysis.velocityRmsMmS,
      JSON.stringify(analysis),
    ]);
  }

  async waveformAnalyses(deviceId: string, limit: number): Promise<WaveformAnalysis[]> {
    await this.flush();
    const rows = await this.db.query(`SELECT summary::VARCHAR AS summary FROM waveform_analyses WHERE device_id = $1 ORDER BY ts DESC LIMIT ${Math.floor(limit)}`, [deviceId]);
    return rows.flatMap((r) => {
      const a = waveformAnalysisSchema.safeParse(JSON.parse(String(r.summary)));
      return a.success ? [a.data] : [];
    });
  }

  /** The last stored block of a motor, to analyse again after a restart. */
  async lastWaveform(deviceId: string): Promise<{ ts: number; axis: 'x' | 'y' | 'z'; fs: number; scale: number; samples: string } | null> {
    await this.flush();
    const rows = await this.db.query(`SELECT ${ms('ts')} AS ts, axis, sample_rate_hz, scale_g_per_lsb, samples FROM waveforms WHERE device_id = $1 ORDER BY ts DESC LIMIT 1`, [deviceId]);
    const r = rows[0];
    if (!r) return null;
    return { ts: Number(r.ts), axis: r.axis as 'x' | 'y' | 'z', fs: Number(r.sample_rate_hz), scale: Number(r.scale_g_per_lsb), samples: Buffer.from(r.samples as Uint8Array).toString('base64') };
  }
}

/** A row of alarm_transitions (times in ms) as the contract has it; the PostgreSQL store reads the same columns. */
export function transitionOfRow(r: Record<string, unknown>): AlarmTransition {
  return {
    alarmId: String(r.alarm_id),
    motorId: String(r.device_id),
    ts: Number(r.ts),
    action: r.action as AlarmTransition['action'],
    from: (r.from_state ?? null) as AlarmTransition['from'],
    to: r.to_state as AlarmTransition['to'],
    comment: (r.comment as string | null) ?? null,
    message: String(r.message),
  };
}
