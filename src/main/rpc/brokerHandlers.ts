import type { MethodName } from '../../shared/contract';
import type { brokerMethods } from '../../shared/brokerContract';
import { rememberChoice } from '../broker/foundBroker';
import type { Handlers } from './handler';

export const brokerHandlers: Handlers<keyof typeof brokerMethods & MethodName> = {
  'twins.messages': (e, p) => e.links.messages.list(p.id),
  'broker.rememberChoice': (e, p) => ({ file: rememberChoice(e.config.dataDir, p.whenPortTaken) }),
};
