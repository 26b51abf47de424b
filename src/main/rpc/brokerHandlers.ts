import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import type { brokerMethods } from '../../shared/brokerContract';
import type { Engine } from '../engine';
import { rememberChoice } from '../broker/foundBroker';

type Handlers = { [M in keyof typeof brokerMethods & MethodName]: (engine: Engine, params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export const brokerHandlers: Handlers = {
  'twins.messages': (e, p) => e.links.messages.list(p.id),
  'broker.rememberChoice': (e, p) => ({ file: rememberChoice(e.config.dataDir, p.whenPortTaken) }),
};
