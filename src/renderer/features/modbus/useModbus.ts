import type { ModbusDeviceInfo, ModbusProfileInfo } from '../../../shared/modbusContract';
import { useEngineQuery } from '../../engine/useEngineQuery';

/** The polled devices, asked for once a second: their state changes at the pace of their polls. */
export function useModbusDevices(): { devices: ModbusDeviceInfo[]; error: string | null; refresh: () => void } {
  const q = useEngineQuery('modbus.list', {}, { refreshMs: 1000 });
  return { devices: q.data ?? [], error: q.error, refresh: () => void q.reload() };
}

export function useModbusProfiles(): ModbusProfileInfo[] {
  // Without the list the form still takes a profile's name or path typed in.
  return useEngineQuery('modbus.profiles', {}).data ?? [];
}
