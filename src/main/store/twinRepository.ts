import { z } from 'zod';
import { limitsSchema, nameplateSchema, twinSourceSchema, type Limits, type Nameplate, type TwinSource } from '../../shared/twin';
import { deviceIdSchema } from '../../shared/protocol/schemas';
import type { MotorDatabase } from './database';

export interface StoredTwin {
  id: string;
  name: string;
  source: TwinSource;
  simulated: boolean;
  nameplate: Partial<Nameplate>;
  limits: Limits;
  device: { fw: string | null; board: string | null; calibrationId: string | null; timeScale?: number };
}

/** A stored twin as it must be to load: the same rules as when it was made or edited. */
const storedTwinSchema = z.object({
  id: deviceIdSchema,
  name: z.string(),
  source: twinSourceSchema,
  simulated: z.boolean(),
  nameplate: nameplateSchema.partial(),
  limits: limitsSchema,
  device: z.object({ fw: z.string().nullable().default(null), board: z.string().nullable().default(null), calibrationId: z.string().nullable().default(null), timeScale: z.number().positive().optional() }),
});

/** A stored twin that did not load, and why. */
export interface SkippedTwin {
  id: string;
  reason: string;
}

export interface LatestReadings {
  deviceId: string;
  ts: number;
  values: Record<string, number | null>;
}

/** Twins' attributes, persisted so that names, nameplates and limits survive a restart. */
/** A stored reading's dedupe key; `hostStamped`: it came without a timestamp (stored with ts = received_at). */
export interface RecentKey {
  deviceId: string;
  seq: number | null;
  ts: number;
  uptime: number | null;
  hostStamped: boolean;
}

export class TwinRepository {
  constructor(private readonly db: MotorDatabase) {}

  /** Every stored twin that passes today's rules; the others are skipped with their reason, not loaded. */
  async all(): Promise<{ twins: StoredTwin[]; skipped: SkippedTwin[] }> {
    const rows = await this.db.query('SELECT id, name, source, simulated, nameplate::VARCHAR AS nameplate, limits::VARCHAR AS limits, device::VARCHAR AS device FROM twins ORDER BY id');
    const twins: StoredTwin[] = [];
    const skipped: SkippedTwin[] = [];
    for (const r of rows) {
      const id = String(r.id);
      const parsed = storedTwinSchema.safeParse({
        id,
        name: String(r.name),
        source: r.source,
        simulated: Boolean(r.simulated),
        nameplate: JSON.parse(String(r.nameplate)),
        limits: JSON.parse(String(r.limits)),
        device: JSON.parse(String(r.device)),
      });
      if (parsed.success) twins.push(parsed.data);
      else skipped.push({ id, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
    return { twins, skipped };
  }

  async save(t: StoredTwin): Promise<void> {
    await this.db.run(
      `INSERT INTO twins VALUES ($1, $2, $3, $4, $5::JSON, $6::JSON, $7::JSON, now()::TIMESTAMP, now()::TIMESTAMP)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, source = excluded.source, simulated = excluded.simulated,
         nameplate = excluded.nameplate, limits = excluded.limits, device = excluded.device, updated_at = excluded.updated_at`,
      [t.id, t.name, t.source, t.simulated, JSON.stringify(t.nameplate), JSON.stringify(t.limits), JSON.stringify(t.device)],
    );
  }

  /** The last stored row of every device, so the fleet shows last known values after a restart. */
  async latestReadings(readingNames: readonly string[]): Promise<LatestReadings[]> {
    const cols = readingNames.join(', ');
    const rows = await this.db.query(
      `SELECT device_id, epoch_ms(ts)::DOUBLE AS ts, ${cols} FROM telemetry QUALIFY row_number() OVER (PARTITION BY device_id ORDER BY ts DESC) = 1`,
    );
    return rows.map((r) => ({
      deviceId: String(r.device_id),
      ts: Number(r.ts),
      values: Object.fromEntries(readingNames.map((n) => [n, r[n] === null || r[n] === undefined ? null : Number(r[n])])),
    }));
  }

  /** Recent (seq, timestamp) keys per device, to keep deduplicating across a restart (hostStamped: ts is the arrival time). */
  async recentKeys(sinceMs: number): Promise<RecentKey[]> {
    const rows = await this.db.query(
      'SELECT device_id, seq, epoch_ms(ts)::DOUBLE AS ts, uptime_s, ts = received_at AS host_stamped FROM telemetry WHERE received_at >= make_timestamp($1::BIGINT * 1000) ORDER BY received_at',
      [Math.floor(sinceMs)],
    );
    return rows.map(recentKeyOfRow);
  }
}

/** A row of the recent-keys query (device_id, seq, ts in ms, uptime_s, host_stamped), from either store. */
export function recentKeyOfRow(r: Record<string, unknown>): RecentKey {
  return {
    deviceId: String(r.device_id),
    seq: r.seq === null ? null : Number(r.seq),
    ts: Number(r.ts),
    uptime: r.uptime_s === null ? null : Number(r.uptime_s),
    hostStamped: r.host_stamped === true,
  };
}
