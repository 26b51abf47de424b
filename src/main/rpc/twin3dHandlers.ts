import type { twin3dMethods } from '../../shared/twin3dContract';
import type { Engine } from '../engine';
import { DomainError } from '../platform/domainError';
import { Twin3dRepository } from '../store/twin3dRepository';
import type { Handlers } from './handler';

// One repository per engine (tests run several engines in one process).
const repos = new WeakMap<Engine, Twin3dRepository>();
const repo = (e: Engine) => {
  let r = repos.get(e);
  if (!r) repos.set(e, (r = new Twin3dRepository(e.db)));
  return r;
};

export const twin3dHandlers: Handlers<keyof typeof twin3dMethods> = {
  'twin3d.get': (e, p) => {
    e.twins.require(p.id);
    return repo(e).get(p.id);
  },
  'twin3d.setMapping': (e, p) => {
    e.twins.require(p.id);
    return repo(e).setMapping(p.id, p.mapping);
  },
  'twin3d.putModel': (e, p) => {
    e.twins.require(p.id);
    return repo(e).putModelChunk(p.id, p.name, p.offset, p.total, Buffer.from(p.data, 'base64'));
  },
  'twin3d.readModel': async (e, p) => {
    const chunk = await repo(e).readModelChunk(p.id, p.offset);
    if (!chunk) throw new DomainError('not_found', `motor "${p.id}" has no custom 3D model`);
    return chunk;
  },
  'twin3d.removeModel': (e, p) => {
    e.twins.require(p.id);
    return repo(e).removeModel(p.id);
  },
};
