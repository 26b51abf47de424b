import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import { auditEntrySchema, commandPolicySchema, commandRecordSchema, setpointsSchema, type AuditEntry, type CommandPolicy, type CommandRecord, type Setpoints } from '../../../shared/commandsContract';
import type { CommandRecords } from '../../commands/commandStore';
import type { PgStore } from './pgStore';
import { PgWriteQueue, pgTime } from './pgWrites';

// The closed loop's records on a plant server's PostgreSQL, as commandStore.ts keeps them in DuckDB: every
// command's latest record, limits per motor, set-points, and the audit trail. Writes in one ordered queue
// (the trail in the order things happened); a failed write is reported and never stops the engine.

const OPEN = `status IN ('pending_approval', 'approved', 'sent', 'received')`;

/** A text column made safe for a spreadsheet, as csvSafe.ts does in DuckDB (PostgreSQL text holds no NUL). */
export function pgCsvText(column: string): string {
  const visible = `regexp_replace(${column}, '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]', '\uFFFD', 'g')`;
  return `CASE WHEN ${visible} ~ '^[=+\\-@\\t\\r]' THEN '''' ELSE '' END || ${visible}`;
}

export class PgCommandStore implements CommandRecords {
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

  saveCommand(c: CommandRecord): void {
    this.write(
      'saving a command',
      `INSERT INTO commands VALUES ($1, $2, ${pgTime(c.createdAt)}, $3, $4::JSONB) ON CONFLICT (id) DO UPDATE SET status = excluded.status, record = excluded.record`,
      [c.id, c.deviceId, c.status, JSON.stringify(c)],
    );
  }

  async commands(where: { open?: boolean; deviceId?: string; limit?: number } = {}): Promise<CommandRecord[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (where.open) conditions.push(OPEN);
    if (where.deviceId) conditions.push(`device_id = $${params.push(where.deviceId)}`);
    const { rows } = await this.store.pool.query(
      `SELECT record::TEXT AS record FROM commands ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT ${Math.floor(where.limit ?? 10_000)}`,
      params,
    );
    return rows.flatMap((r) => {
      const c = commandRecordSchema.safeParse(JSON.parse(String(r.record)));
      return c.success ? [c.data] : [];
    });
  }

  savePolicy(deviceId: string, policy: CommandPolicy): void {
    this.write(
      'saving command limits',
      `INSERT INTO command_policies VALUES ($1, $2::JSONB, now()) ON CONFLICT (device_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`,
      [deviceId, JSON.stringify(policy)],
    );
  }

  async policies(): Promise<Map<string, CommandPolicy>> {
    const { rows } = await this.store.pool.query('SELECT device_id, policy::TEXT AS policy FROM command_policies');
    const out = new Map<string, CommandPolicy>();
    for (const r of rows) {
      const p = commandPolicySchema.safeParse(JSON.parse(String(r.policy)));
      if (p.success) out.set(String(r.device_id), p.data);
    }
    return out;
  }

  saveSetpoints(s: Setpoints): void {
    this.write(
      'saving set-points',
      `INSERT INTO setpoints VALUES ($1, $2::JSONB, now()) ON CONFLICT (device_id) DO UPDATE SET setpoints = excluded.setpoints, updated_at = excluded.updated_at`,
      [s.deviceId, JSON.stringify(s)],
    );
  }

  async setpoints(): Promise<Setpoints[]> {
    const { rows } = await this.store.pool.query('SELECT setpoints::TEXT AS s FROM setpoints');
    return rows.flatMap((r) => {
      const s = setpointsSchema.safeParse(JSON.parse(String(r.s)));
      return s.success ? [s.data] : [];
    });
  }

  audit(e: AuditEntry): void {
    this.write('writing the audit trail', `INSERT INTO audit (ts, device_id, kind, command_id, actor, text) VALUES (${pgTime(e.ts)}, $1, $2, $3, $4, $5)`, [
      e.deviceId,
      e.kind,
      e.commandId,
      e.actor,
      e.text,
    ]);
  }

  async auditTrail(deviceId?: string, limit = 200): Promise<AuditEntry[]> {
    const { rows } = await this.store.pool.query(
      `SELECT (extract(epoch FROM ts) * 1000)::DOUBLE PRECISION AS ts, device_id AS "deviceId", kind, command_id AS "commandId", actor, text FROM audit
       ${deviceId ? 'WHERE device_id = $1' : ''} ORDER BY ts DESC, id DESC LIMIT ${Math.floor(limit)}`,
      deviceId ? [deviceId] : [],
    );
    return z.array(auditEntrySchema).parse(rows);
  }

  /** The audit trail as CSV in the DuckDB export's layout (a time as DuckDB writes one), streamed by COPY. */
  async exportAudit(file: string, deviceId?: string): Promise<number> {
    await this.flush();
    const where = deviceId ? `WHERE device_id = '${deviceId.replace(/'/g, "''")}'` : '';
    const columns = [`(ts AT TIME ZONE 'UTC')::TEXT AS ts`, ...['device_id', 'kind', 'command_id', 'actor', 'text'].map((c) => `${pgCsvText(c)} AS ${c}`)].join(', ');
    const client = await this.store.pool.connect();
    try {
      const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM audit ${where} ORDER BY ts, id) TO STDOUT WITH (FORMAT csv, HEADER true)`));
      await pipeline(stream, createWriteStream(file));
      client.release();
      return stream.rowCount;
    } catch (e) {
      client.release(e as Error);
      throw e;
    }
  }
}
