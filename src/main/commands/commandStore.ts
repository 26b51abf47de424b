import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { auditEntrySchema, commandPolicySchema, commandRecordSchema, setpointsSchema, type AuditEntry, type CommandPolicy, type CommandRecord, type Setpoints } from '../../shared/commandsContract';
import type { MotorDatabase } from '../store/database';
import { csvText } from '../store/csvSafe';

// DuckDB persistence of the closed loop: every command's latest record, per-motor limits, set-points and
// the audit trail. Writes run in one ordered queue, so the trail is in the order things happened; a
// failed write is reported and never stops the engine. What is read back is validated.

const ts = (ms: number) => `make_timestamp(${Math.round(ms)}::BIGINT * 1000)`;

/**
 * The commands' persistence port: the DuckDB file's CommandStore below, or PgCommandStore on a plant
 * server's PostgreSQL (store/postgres/pgCommandStore.ts). Writes are queued in order and never throw.
 */
export interface CommandRecords {
  flush(): Promise<void>;
  saveCommand(c: CommandRecord): void;
  commands(where?: { open?: boolean; deviceId?: string; limit?: number }): Promise<CommandRecord[]>;
  savePolicy(deviceId: string, policy: CommandPolicy): void;
  policies(): Promise<Map<string, CommandPolicy>>;
  saveSetpoints(s: Setpoints): void;
  setpoints(): Promise<Setpoints[]>;
  audit(e: AuditEntry): void;
  auditTrail(deviceId?: string, limit?: number): Promise<AuditEntry[]>;
  /** The audit trail as CSV in `file`; resolves with the number of entries. */
  exportAudit(file: string, deviceId?: string): Promise<number>;
}

export class CommandStore implements CommandRecords {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: MotorDatabase,
    private readonly onError: (what: string, e: Error) => void,
  ) {}

  private write(what: string, sql: string, params: DuckDBValue[]): void {
    this.queue = this.queue.then(() => this.db.run(sql, params).catch((e: Error) => this.onError(what, e)));
  }

  /** Resolves when every write queued so far has run. */
  flush(): Promise<void> {
    return this.queue;
  }

  saveCommand(c: CommandRecord): void {
    this.write(
      'saving a command',
      `INSERT INTO commands VALUES ($1, $2, ${ts(c.createdAt)}, $3, $4::JSON) ON CONFLICT (id) DO UPDATE SET status = excluded.status, record = excluded.record`,
      [c.id, c.deviceId, c.status, JSON.stringify(c)],
    );
  }

  async commands(where: { open?: boolean; deviceId?: string; limit?: number } = {}): Promise<CommandRecord[]> {
    const conditions: string[] = [];
    const params: DuckDBValue[] = [];
    if (where.open) conditions.push(`status IN ('pending_approval', 'approved', 'sent', 'received')`);
    if (where.deviceId) {
      params.push(where.deviceId);
      conditions.push(`device_id = $${params.length}`);
    }
    const rows = await this.db.query(
      `SELECT record::VARCHAR AS record FROM commands ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT ${where.limit ?? 10_000}`,
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
      `INSERT INTO command_policies VALUES ($1, $2::JSON, now()::TIMESTAMP) ON CONFLICT (device_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`,
      [deviceId, JSON.stringify(policy)],
    );
  }

  async policies(): Promise<Map<string, CommandPolicy>> {
    const rows = await this.db.query('SELECT device_id, policy::VARCHAR AS policy FROM command_policies');
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
      `INSERT INTO setpoints VALUES ($1, $2::JSON, now()::TIMESTAMP) ON CONFLICT (device_id) DO UPDATE SET setpoints = excluded.setpoints, updated_at = excluded.updated_at`,
      [s.deviceId, JSON.stringify(s)],
    );
  }

  async setpoints(): Promise<Setpoints[]> {
    const rows = await this.db.query('SELECT setpoints::VARCHAR AS s FROM setpoints');
    return rows.flatMap((r) => {
      const s = setpointsSchema.safeParse(JSON.parse(String(r.s)));
      return s.success ? [s.data] : [];
    });
  }

  audit(e: AuditEntry): void {
    this.write('writing the audit trail', `INSERT INTO audit VALUES (${ts(e.ts)}, $1, $2, $3, $4, $5)`, [e.deviceId, e.kind, e.commandId, e.actor, e.text]);
  }

  async auditTrail(deviceId?: string, limit = 200): Promise<AuditEntry[]> {
    const rows = await this.db.query(
      `SELECT epoch_ms(ts)::DOUBLE AS ts, device_id AS "deviceId", kind, command_id AS "commandId", actor, text FROM audit
       ${deviceId ? 'WHERE device_id = $1' : ''} ORDER BY ts DESC, rowid DESC LIMIT ${Math.floor(limit)}`,
      deviceId ? [deviceId] : [],
    );
    return z.array(auditEntrySchema).parse(rows);
  }

  /** The audit trail as CSV, written by DuckDB itself; names and texts are people's input, made safe for a spreadsheet. */
  async exportAudit(file: string, deviceId?: string): Promise<number> {
    await this.flush();
    const where = deviceId ? `WHERE device_id = '${deviceId.replace(/'/g, "''")}'` : '';
    const columns = ['ts', ...['device_id', 'kind', 'command_id', 'actor', 'text'].map(csvText)].join(', ');
    await this.db.run(`COPY (SELECT ${columns} FROM audit ${where} ORDER BY ts) TO '${file.replace(/'/g, "''")}' (HEADER, DELIMITER ',')`);
    const [r] = await this.db.query(`SELECT count(*) AS n FROM audit ${where}`);
    return Number(r.n);
  }
}
