import { certificateSchema, type Certificate } from '../../shared/serialContract';
import type { MotorDatabase } from '../store/database';

/** Calibration certificates in DuckDB: one row each, the whole certificate as JSON. */
export class CertificateStore {
  constructor(private readonly db: MotorDatabase) {}

  async add(c: Certificate): Promise<void> {
    await this.db.run('INSERT INTO calibration_certificates VALUES ($1, $2, $3, make_timestamp($4::BIGINT * 1000), $5, $6::JSON)', [
      c.id,
      c.deviceId,
      c.sensor,
      c.createdAt,
      c.calibrationId,
      JSON.stringify(c),
    ]);
  }

  async list(deviceId?: string): Promise<Certificate[]> {
    const rows = deviceId
      ? await this.db.query('SELECT certificate::VARCHAR AS c FROM calibration_certificates WHERE device_id = $1 ORDER BY created_at DESC', [deviceId], this.db.writer)
      : await this.db.query('SELECT certificate::VARCHAR AS c FROM calibration_certificates ORDER BY created_at DESC LIMIT 500', [], this.db.writer);
    return rows.map((r) => certificateSchema.parse(JSON.parse(String(r.c))));
  }

  async get(id: string): Promise<Certificate | null> {
    const rows = await this.db.query('SELECT certificate::VARCHAR AS c FROM calibration_certificates WHERE id = $1', [id], this.db.writer);
    return rows.length ? certificateSchema.parse(JSON.parse(String(rows[0].c))) : null;
  }

  /** The values the board applies now for a sensor: those of its latest certificate. */
  async current(deviceId: string, sensor: Certificate['sensor']): Promise<Record<string, unknown> | null> {
    const rows = await this.db.query(
      'SELECT certificate::VARCHAR AS c FROM calibration_certificates WHERE device_id = $1 AND sensor = $2 ORDER BY created_at DESC LIMIT 1',
      [deviceId, sensor],
      this.db.writer,
    );
    return rows.length ? (JSON.parse(String(rows[0].c)) as Certificate).values : null;
  }
}
