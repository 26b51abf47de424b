import { sparkplugMappingSchema, type SparkplugMapping } from '../../shared/sparkplugContract';
import type { MotorDatabase } from '../store/database';

/** Per Sparkplug device (by its key), the user's mapping: kept in memory for ingest, stored in DuckDB. */
export class SparkplugMappings {
  private readonly byKey = new Map<string, SparkplugMapping>();

  constructor(private readonly db: MotorDatabase) {}

  async load(): Promise<{ skipped: Array<{ key: string; reason: string }> }> {
    const rows = await this.db.query('SELECT key, mapping::VARCHAR AS mapping FROM sparkplug_mappings');
    const skipped: Array<{ key: string; reason: string }> = [];
    for (const r of rows) {
      const parsed = sparkplugMappingSchema.safeParse(JSON.parse(String(r.mapping)));
      // A mapping stored under older rules costs that device its mapping (it falls back to the default), not the start.
      if (parsed.success) this.byKey.set(String(r.key), parsed.data);
      else skipped.push({ key: String(r.key), reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
    return { skipped };
  }

  get(key: string): SparkplugMapping | undefined {
    return this.byKey.get(key);
  }

  async set(key: string, mapping: SparkplugMapping): Promise<void> {
    await this.db.run(
      `INSERT INTO sparkplug_mappings VALUES ($1, $2::JSON, now()::TIMESTAMP)
       ON CONFLICT (key) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
      [key, JSON.stringify(mapping)],
    );
    this.byKey.set(key, mapping);
  }
}
