import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { plantMethods } from '../../shared/plantContract';
import type { Engine } from '../engine';
import { pushable } from '../plant/localRecords';

// The link to a plant server, as the laptop's UI drives it (src/main/plant/plantLink.ts).

type Handlers = { [M in keyof typeof plantMethods & MethodName]: (engine: Engine, params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export const plantHandlers: Handlers = {
  'plant.status': (e) => e.plant.status(),
  'plant.login': (e, p) => e.plant.login(p),
  'plant.logout': (e) => e.plant.logout(),
  'plant.open': (e, p) => e.plant.open(p.open),
  'plant.push': (e, p) => e.plant.push(plantMethods['plant.push'].params.parse(p)),
  'plant.pushable': async (e) => {
    await e.writer.flush();
    return pushable(e.db);
  },
};
