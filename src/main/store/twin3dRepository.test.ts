import { afterEach, describe, expect, it } from 'vitest';
import { MODEL_CHUNK_BYTES } from '../../shared/twin3dContract';
import { MotorDatabase } from './database';
import { Twin3dRepository } from './twin3dRepository';

describe('Twin3dRepository', () => {
  let db: MotorDatabase | undefined;
  afterEach(() => db?.close());

  it('keeps a mapping per motor', async () => {
    db = await MotorDatabase.open(':memory:');
    const repo = new Twin3dRepository(db);
    expect(await repo.get('m1')).toEqual({ id: 'm1', mapping: null, model: null });
    const mapping = { model: 'builtin' as const, sites: { temperature: { node: 'frame', point: [0.1, 0.2, 0.3] as [number, number, number] } }, turning: null };
    expect((await repo.setMapping('m1', mapping)).mapping).toEqual(mapping);
    expect((await repo.get('m2')).mapping).toBeNull();
  });

  it('stores a model sent in chunks and reads it back chunk by chunk', async () => {
    db = await MotorDatabase.open(':memory:');
    const repo = new Twin3dRepository(db);
    const bytes = Buffer.from(Array.from({ length: MODEL_CHUNK_BYTES * 2 + 1000 }, (_, i) => i % 251));
    const chunks = [0, MODEL_CHUNK_BYTES, 2 * MODEL_CHUNK_BYTES].map((o) => bytes.subarray(o, o + MODEL_CHUNK_BYTES));
    expect(await repo.putModelChunk('m1', 'motor.glb', 0, bytes.length, chunks[0])).toEqual({ received: MODEL_CHUNK_BYTES, complete: false });
    await expect(repo.putModelChunk('m1', 'motor.glb', 0 + 5, bytes.length, chunks[1])).rejects.toThrow(/out of order/);
    await repo.putModelChunk('m1', 'motor.glb', 0, bytes.length, chunks[0]);
    await repo.putModelChunk('m1', 'motor.glb', MODEL_CHUNK_BYTES, bytes.length, chunks[1]);
    expect((await repo.putModelChunk('m1', 'motor.glb', 2 * MODEL_CHUNK_BYTES, bytes.length, chunks[2])).complete).toBe(true);
    const state = await repo.get('m1');
    expect(state.model).toMatchObject({ name: 'motor.glb', bytes: bytes.length });
    expect(state.mapping).toEqual({ model: 'custom', sites: {}, turning: null });
    const back = [];
    for (let o = 0; o < bytes.length; o += MODEL_CHUNK_BYTES) back.push(Buffer.from((await repo.readModelChunk('m1', o))!.data, 'base64'));
    expect(Buffer.concat(back).equals(bytes)).toBe(true);
    expect((await repo.removeModel('m1')).model).toBeNull();
    expect(await repo.readModelChunk('m1', 0)).toBeNull();
  });
});
