import type { MotorDatabase } from '../store/database';

/** Small settings of the agent and the manuals library (model choice, starter import done), as JSON in DuckDB. */
export class SettingsStore {
  constructor(private readonly db: MotorDatabase) {}

  async get(key: string): Promise<unknown> {
    const rows = await this.db.query('SELECT value::VARCHAR AS v FROM agent_settings WHERE key = $1', [key]);
    return rows[0] ? JSON.parse(String(rows[0].v)) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.db.run(
      `INSERT INTO agent_settings VALUES ($1, $2::JSON, now()::TIMESTAMP)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, JSON.stringify(value)],
    );
  }
}
