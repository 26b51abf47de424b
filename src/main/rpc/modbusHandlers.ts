import type { MethodName } from '../../shared/contract';
import type { modbusMethods } from '../../shared/modbusContract';
import type { Handlers } from './handler';

export const modbusHandlers: Handlers<keyof typeof modbusMethods & MethodName> = {
  'modbus.list': (e) => e.modbus.list(),
  'modbus.profiles': (e) => e.modbus.profiles(),
  'modbus.add': (e, p) => e.modbus.add(p),
  'modbus.remove': async (e, p) => ({ removed: await e.modbus.remove(p.key) }),
  'modbus.testRead': (e, p) => e.modbus.testRead(p),
};
