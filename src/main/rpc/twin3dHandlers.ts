import type { z } from 'zod';
import { twin3dMappingSchema, twin3dMethods } from '../../shared/twin3dContract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { Twin3dRepository } from '../store/twin3dRepository';

type M = typeof twin3dMethods;
type Twin3dHandlers = { [K in keyof M]: (engine: Engine, params: z.input<M[K]['params']>) => Promise<z.output<M[K]['result']>> };

// One repository per engine (tests run several engines in one process).
const repos = new WeakMap<Engine, Twin3dRepository>();
const repo = (e: Engine) => {
  let r = repos.get(e);
  if (!r) repos.set(e, (r = new Twin3dRepository(e.db)));
  return r;
};
const motorOrThrow = (e: Engine, id: string) => {
  if (!e.twins.get(id)) throw new RpcError('not_found', `no motor "${id}"`);
};

export const twin3dHandlers: Twin3dHandlers = {
  'twin3d.get': async (e, p) => {
    motorOrThrow(e, p.id);
    return repo(e).get(p.id);
  },
  'twin3d.setMapping': async (e, p) => {
    motorOrThrow(e, p.id);
    return repo(e).setMapping(p.id, twin3dMappingSchema.parse(p.mapping));
  },
  'twin3d.putModel': async (e, p) => {
    motorOrThrow(e, p.id);
    try {
      return await repo(e).putModelChunk(p.id, p.name, p.offset, p.total, Buffer.from(p.data, 'base64'));
    } catch (err) {
      throw new RpcError('invalid_params', (err as Error).message);
    }
  },
  'twin3d.readModel': async (e, p) => {
    const chunk = await repo(e).readModelChunk(p.id, p.offset);
    if (!chunk) throw new RpcError('not_found', `motor "${p.id}" has no custom 3D model`);
    return chunk;
  },
  'twin3d.removeModel': async (e, p) => {
    motorOrThrow(e, p.id);
    return repo(e).removeModel(p.id);
  },
};
