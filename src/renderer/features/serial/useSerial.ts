import { useEffect, useRef, useState } from 'react';
import type { FlashJob, SerialPortInfo } from '../../../shared/serialContract';
import { useEngineQuery, useLiveQuery } from '../../engine/useEngineQuery';
import { ConsoleModel } from './consoleModel';

/** The port list, kept current by the engine's hot-plug events. */
export function useSerialPorts(): SerialPortInfo[] {
  return useEngineQuery('serial.ports', {}, { on: { serialPorts: (_, ports) => ports } }).data ?? [];
}

const newestFirst = (jobs: FlashJob[]) => [...jobs].sort((a, b) => b.startedAt - a.startedAt);

/** Flash jobs, newest first, updated by progress events. */
export function useFlashJobs(): FlashJob[] {
  const { data } = useLiveQuery<FlashJob[]>('flash.jobs', {
    load: async (c) => newestFirst(await c.call('flash.jobs', {})),
    on: { flashProgress: (list, j) => newestFirst([j, ...list.filter((x) => x.jobId !== j.jobId)]) },
  });
  return data ?? [];
}

/**
 * One port's console lines in a ConsoleModel: the engine's backlog first, then the batched events (those
 * that came while the backlog was on its way after it, in order). The component re-renders at most once per
 * animation frame however fast lines arrive. Mount one per port (key the component by path).
 */
export function useConsole(path: string): { model: ConsoleModel; frame: number } {
  const [model] = useState(() => new ConsoleModel());
  const [frame, setFrame] = useState(0);
  const seen = useRef(-1);

  // The model changes in place (the same object), so following it renders nothing by itself: the frame loop does.
  useLiveQuery<ConsoleModel>(`serial.console ${path}`, {
    load: async (c) => {
      model.append((await c.call('serial.console', { path, afterSeq: -1, limit: 5000 })).lines);
      return model;
    },
    filter: { port: path },
    on: {
      serialConsole: (m, e) => {
        if (e.path === path) m.append(e.lines);
        return m;
      },
    },
  });

  useEffect(() => {
    let raf = 0;
    const tick = () => {
      if (model.version !== seen.current) {
        seen.current = model.version;
        setFrame((f) => f + 1);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [model]);

  return { model, frame };
}
