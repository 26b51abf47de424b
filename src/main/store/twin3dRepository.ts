import { MODEL_CHUNK_BYTES, twin3dMappingSchema, type Twin3dMapping, type Twin3dState } from '../../shared/twin3dContract';
import type { MotorDatabase } from './database';
import { DomainError } from '../platform/domainError';

/**
 * Per motor: the sensor-to-node mapping of its 3D twin and the user's own glTF/GLB model, if any. The
 * model is kept as base64 text; it is read back in chunks the size of one RPC message.
 */
export class Twin3dRepository {
  /** Uploads in progress, by motor: chunks arrive in order and are stored once complete. */
  private readonly uploads = new Map<string, { name: string; total: number; parts: Buffer[]; received: number }>();

  constructor(private readonly db: MotorDatabase) {}

  async get(id: string): Promise<Twin3dState> {
    const rows = await this.db.query(
      'SELECT mapping::VARCHAR AS mapping, model_name, model_bytes, epoch_ms(updated_at)::DOUBLE AS updated FROM twin3d WHERE device_id = $1',
      [id],
    );
    const r = rows[0];
    if (!r) return { id, mapping: null, model: null };
    return {
      id,
      mapping: r.mapping === null ? null : twin3dMappingSchema.parse(JSON.parse(String(r.mapping))),
      model: r.model_name === null ? null : { name: String(r.model_name), bytes: Number(r.model_bytes), updatedAt: Number(r.updated) },
    };
  }

  async setMapping(id: string, mapping: Twin3dMapping): Promise<Twin3dState> {
    await this.db.run(
      `INSERT INTO twin3d (device_id, mapping, updated_at) VALUES ($1, $2::JSON, now()::TIMESTAMP)
       ON CONFLICT (device_id) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
      [id, JSON.stringify(mapping)],
    );
    return this.get(id);
  }

  /** Takes chunk `offset`; chunks must come in order. Returns how many bytes are in and whether it is stored. */
  async putModelChunk(id: string, name: string, offset: number, total: number, data: Buffer): Promise<{ received: number; complete: boolean }> {
    if (offset === 0) this.uploads.set(id, { name, total, parts: [], received: 0 });
    const u = this.uploads.get(id);
    if (!u || u.name !== name || u.total !== total || u.received !== offset) {
      this.uploads.delete(id);
      throw new DomainError('invalid', `model upload out of order at byte ${offset}: start again from 0`);
    }
    if (u.received + data.length > total) {
      this.uploads.delete(id);
      throw new DomainError('invalid', `model upload longer than the announced ${total} bytes`);
    }
    u.parts.push(data);
    u.received += data.length;
    if (u.received < total) return { received: u.received, complete: false };
    this.uploads.delete(id);
    const current = (await this.get(id)).mapping;
    // A new file has nodes of its own: which of them turn is found again from their names.
    const mapping: Twin3dMapping = { model: 'custom', sites: current?.model === 'custom' ? current.sites : {}, turning: null };
    await this.db.run(
      `INSERT INTO twin3d VALUES ($1, $2::JSON, $3, $4, $5, now()::TIMESTAMP)
       ON CONFLICT (device_id) DO UPDATE SET mapping = excluded.mapping, model_name = excluded.model_name, model_bytes = excluded.model_bytes,
         model_base64 = excluded.model_base64, updated_at = excluded.updated_at`,
      [id, JSON.stringify(mapping), name, total, Buffer.concat(u.parts).toString('base64')],
    );
    return { received: total, complete: true };
  }

  async readModelChunk(id: string, offset: number): Promise<{ data: string; total: number } | null> {
    // Base64 keeps 3 bytes in 4 characters, and a chunk starts on a multiple of 3 bytes.
    const rows = await this.db.query('SELECT model_bytes, substr(model_base64, $2, $3) AS part FROM twin3d WHERE device_id = $1 AND model_base64 IS NOT NULL', [
      id,
      (offset / 3) * 4 + 1,
      (MODEL_CHUNK_BYTES / 3) * 4,
    ]);
    if (!rows[0]) return null;
    return { data: String(rows[0].part), total: Number(rows[0].model_bytes) };
  }

  async removeModel(id: string): Promise<Twin3dState> {
    await this.db.run(
      `UPDATE twin3d SET model_name = NULL, model_bytes = NULL, model_base64 = NULL, mapping = NULL, updated_at = now()::TIMESTAMP WHERE device_id = $1`,
      [id],
    );
    return this.get(id);
  }
}
