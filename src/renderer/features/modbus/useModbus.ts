import { useCallback, useEffect, useState } from 'react';
import type { ModbusDeviceInfo, ModbusProfileInfo } from '../../../shared/modbusContract';
import { useEngineClient } from '../../engine/EngineProvider';

/** The polled devices, asked for once a second: their state changes at the pace of their polls. */
export function useModbusDevices(): { devices: ModbusDeviceInfo[]; error: string | null; refresh: () => void } {
  const client = useEngineClient();
  const [devices, setDevices] = useState<ModbusDeviceInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    client?.call('modbus.list', {}).then(
      (d) => {
        setDevices(d);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [client]);
  useEffect(() => {
    refresh();
    const t = setInterval(refresh, 1000);
    return () => clearInterval(t);
  }, [refresh]);
  return { devices, error, refresh };
}

export function useModbusProfiles(): ModbusProfileInfo[] {
  const client = useEngineClient();
  const [profiles, setProfiles] = useState<ModbusProfileInfo[]>([]);
  useEffect(() => {
    // Without the list the form still takes a profile's name or path typed in.
    client?.call('modbus.profiles', {}).then(setProfiles, () => undefined);
  }, [client]);
  return profiles;
}
