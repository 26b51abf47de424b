import type { sparkplugMethods } from '../../shared/sparkplugContract';
import { DomainError } from '../platform/domainError';
import type { Handlers } from './handler';

export const sparkplugHandlers: Handlers<keyof typeof sparkplugMethods> = {
  'sparkplug.list': (e) => e.sparkplug.list(),
  'sparkplug.setMapping': async (e, p) => {
    const device = await e.sparkplug.setMapping(p.key, p.mapping);
    if (!device) throw new DomainError('not_found', `no Sparkplug node or device "${p.key}" heard since the engine started`);
    return device;
  },
};
