import type { z } from 'zod';
import { sparkplugMappingSchema, sparkplugMethods } from '../../shared/sparkplugContract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';

type M = typeof sparkplugMethods;
type SparkplugHandlers = { [K in keyof M]: (engine: Engine, params: z.input<M[K]['params']>) => Promise<z.output<M[K]['result']>> };

export const sparkplugHandlers: SparkplugHandlers = {
  'sparkplug.list': async (e) => e.sparkplug.list(),
  'sparkplug.setMapping': async (e, p) => {
    const device = await e.sparkplug.setMapping(p.key, sparkplugMappingSchema.parse(p.mapping));
    if (!device) throw new RpcError('not_found', `no Sparkplug node or device "${p.key}" heard since the engine started`);
    return device;
  },
};
