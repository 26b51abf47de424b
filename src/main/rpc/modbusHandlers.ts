import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { RpcError } from '../../shared/rpc/envelope';
import type { modbusMethods } from '../../shared/modbusContract';
import type { Engine } from '../engine';
import { ModbusConfigError } from '../modbus/modbusService';
import { ModbusFault } from '../modbus/line';

type ModbusMethod = keyof typeof modbusMethods & MethodName;
type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

/** A bad profile or setting is the caller's to fix; a device that does not answer is a failure to report. */
async function attempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ModbusConfigError) throw new RpcError('invalid_params', e.message);
    if (e instanceof ModbusFault) throw new RpcError('failed', e.message);
    throw e;
  }
}

export const modbusHandlers: { [M in ModbusMethod]: Handler<M> } = {
  'modbus.list': (e) => e.modbus.list(),
  'modbus.profiles': (e) => e.modbus.profiles(),
  'modbus.add': (e, p) => attempt(() => e.modbus.add(p)),
  'modbus.remove': async (e, p) => ({ removed: await e.modbus.remove(p.key) }),
  'modbus.testRead': (e, p) => attempt(() => e.modbus.testRead(p)),
};
