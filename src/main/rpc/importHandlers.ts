import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';

type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

/** A refusal of the person's file or options is theirs to fix, not an engine failure. */
const asInvalid = (e: unknown) => new RpcError('invalid_params', (e as Error).message);

export const importHandlers: { [M in 'history.importUpload' | 'history.importColumns' | 'history.import']: Handler<M> } = {
  'history.importUpload': (e, p) => {
    try {
      return e.imports.uploads.put(p.uploadId, p.name, p.offset, p.total, Buffer.from(p.data, 'base64'));
    } catch (err) {
      throw asInvalid(err);
    }
  },
  'history.importColumns': async (e, p) => e.imports.columns(p.uploadId).catch((err) => Promise.reject(asInvalid(err))),
  'history.import': (e, p) => {
    try {
      return e.imports.start(p.uploadId, p);
    } catch (err) {
      throw asInvalid(err);
    }
  },
};
