import { useEffect, useRef, useState } from 'react';
import type { FlashJob, SerialPortInfo } from '../../../shared/serialContract';
import { useEngineClient } from '../../engine/EngineProvider';
import { ConsoleModel } from './consoleModel';

/** The port list, kept current by the engine's hot-plug events. */
export function useSerialPorts(): SerialPortInfo[] {
  const client = useEngineClient();
  const [ports, setPorts] = useState<SerialPortInfo[]>([]);
  useEffect(() => {
    if (!client) return;
    const off = client.on('serialPorts', setPorts);
    client.call('serial.ports', {}).then(setPorts, () => undefined);
    return off;
  }, [client]);
  return ports;
}

/** Flash jobs, newest first, updated by progress events. */
export function useFlashJobs(): FlashJob[] {
  const client = useEngineClient();
  const [jobs, setJobs] = useState<FlashJob[]>([]);
  useEffect(() => {
    if (!client) return;
    const off = client.on('flashProgress', (j) => setJobs((list) => [j, ...list.filter((x) => x.jobId !== j.jobId)].sort((a, b) => b.startedAt - a.startedAt)));
    client.call('flash.jobs', {}).then(setJobs, () => undefined);
    return off;
  }, [client]);
  return jobs;
}

/**
 * One port's console lines in a ConsoleModel, fed by batched events; the component re-renders at most
 * once per animation frame however fast lines arrive. Mount one per port (key the component by path).
 */
export function useConsole(path: string): { model: ConsoleModel; frame: number } {
  const client = useEngineClient();
  const [model] = useState(() => new ConsoleModel());
  const [frame, setFrame] = useState(0);
  const seen = useRef(-1);

  useEffect(() => {
    if (!client) return;
    const m = model;
    let raf = 0;
    const tick = () => {
      if (m.version !== seen.current) {
        seen.current = m.version;
        setFrame((f) => f + 1);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    const off = client.on('serialConsole', (e) => {
      if (e.path === path) m.append(e.lines);
    });
    client.call('serial.console', { path, afterSeq: -1, limit: 5000 }).then((r) => m.append(r.lines), () => undefined);
    return () => {
      off();
      cancelAnimationFrame(raf);
    };
  }, [client, path, model]);

  return { model, frame };
}
