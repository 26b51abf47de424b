import { alarmSchema, type Alarm, type AlarmTransition } from '../../../shared/healthContract';
import { transitionOfRow, type AlarmRecords, type StoredAlarm } from '../../health/healthStore';
import type { PgStore } from './pgStore';
import { pgEpochMs, PgWriteQueue, pgTime } from './pgWrites';

// Alarms and every transition on a plant server's PostgreSQL, as healthStore.ts keeps them in DuckDB: one
// ordered queue of writes (a failed one is reported, never thrown), reads validated.


export class PgAlarmStore implements AlarmRecords {
  private readonly writes: PgWriteQueue;

  constructor(
    private readonly store: PgStore,
    onError: (what: string, e: Error) => void,
  ) {
    this.writes = new PgWriteQueue(store, onError);
  }

  private write(what: string, sql: string, params: unknown[]): void {
    this.writes.write(what, sql, params);
  }

  flush(): Promise<void> {
    return this.writes.flush();
  }

  async alarms(closedKept: number): Promise<Alarm[]> {
    const cols = `id, device_id, condition, severity, state, source, message, ${pgEpochMs('raised_at')} AS raised_at, ${pgEpochMs('updated_at')} AS updated_at,
      ${pgEpochMs('cleared_at')} AS cleared_at, ${pgEpochMs('acked_at')} AS acked_at, ack_comment, ${pgEpochMs('shelved_until')} AS shelved_until, repeats`;
    const { rows } = await this.store.pool.query(
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
        clearedAt: r.cleared_at,
        ackedAt: r.acked_at,
        ackComment: r.ack_comment,
        shelvedUntil: r.shelved_until,
        repeats: r.repeats,
      });
      return a.success ? [a.data] : [];
    });
  }

  saveAlarm(a: Alarm, t: AlarmTransition): void {
    this.write(
      'saving an alarm',
      `INSERT INTO alarms VALUES ($1, $2, $3, $4, $5, $6, $7, ${pgTime(a.raisedAt)}, ${pgTime(a.updatedAt)}, ${pgTime(a.clearedAt)}, ${pgTime(a.ackedAt)}, $8, ${pgTime(a.shelvedUntil)}, $9)
       ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state, message = excluded.message, updated_at = excluded.updated_at,
         cleared_at = excluded.cleared_at, acked_at = excluded.acked_at, ack_comment = excluded.ack_comment, shelved_until = excluded.shelved_until, repeats = excluded.repeats`,
      [a.id, a.motorId, a.condition, a.severity, a.state, a.source, a.message, a.ackComment, a.repeats],
    );
    this.write(
      'saving an alarm transition',
      `INSERT INTO alarm_transitions (alarm_id, device_id, ts, action, from_state, to_state, comment, message) VALUES ($1, $2, ${pgTime(t.ts)}, $3, $4, $5, $6, $7)`,
      [t.alarmId, t.motorId, t.action, t.from, t.to, t.comment, t.message],
    );
  }

  async transitions(q: { id?: string; alarmId?: string; from?: number; limit: number }): Promise<AlarmTransition[]> {
    await this.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.id) where.push(`device_id = $${params.push(q.id)}`);
    if (q.alarmId) where.push(`alarm_id = $${params.push(q.alarmId)}`);
    if (q.from !== undefined) where.push(`ts >= ${pgTime(q.from)}`);
    const { rows } = await this.store.pool.query(
      `SELECT alarm_id, device_id, ${pgEpochMs('ts')} AS ts, action, from_state, to_state, comment, message FROM alarm_transitions
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT ${Math.floor(q.limit)}`,
      params,
    );
    return rows.map(transitionOfRow);
  }

  async alarmsOf(deviceId: string): Promise<StoredAlarm[]> {
    await this.flush();
    const { rows } = await this.store.pool.query(
      `SELECT id, condition, severity, state, source, message, ${pgEpochMs('raised_at')} AS raised_at, ${pgEpochMs('cleared_at')} AS cleared_at, ${pgEpochMs('acked_at')} AS acked_at, repeats
       FROM alarms WHERE device_id = $1 ORDER BY raised_at, id`,
      [deviceId],
    );
    return rows as StoredAlarm[];
  }
}
