import type { MethodName } from '../../shared/contract';
import type { plantMethods } from '../../shared/plantContract';
import { pushable } from '../plant/localRecords';
import type { Handlers } from './handler';

// The link to a plant server, as the laptop's UI drives it (src/main/plant/plantLink.ts).

export const plantHandlers: Handlers<keyof typeof plantMethods & MethodName> = {
  'plant.status': (e) => e.plant.status(),
  'plant.login': (e, p) => e.plant.login(p),
  'plant.logout': (e) => e.plant.logout(),
  'plant.open': (e, p) => e.plant.open(p.open),
  'plant.push': (e, p) => e.plant.push(p),
  'plant.pushable': async (e) => {
    await e.writer.flush();
    return pushable(e.db);
  },
};
