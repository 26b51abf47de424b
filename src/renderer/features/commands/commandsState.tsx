import { createContext, useContext, useState, type ReactNode } from 'react';
import type { AuditEntry, CommandRecord, Setpoints } from '../../../shared/commandsContract';
import { Store, useStore } from '../../engine/store';
import { useEngineQuery, useStoreFeed } from '../../engine/useEngineQuery';
import './commands.css';

// What the UI knows about the closed loop: recent commands (the approval queue among them), loaded on every
// connection and kept current by the engine's command events. Each motor's set-points and audit trail
// follow their own queries (useSetpoints, AuditTimeline).

const KEPT = 300;

/** The commands with `c` in, keeping at most KEPT: the oldest settled one goes first, never a pending one. */
function withCommand(m: ReadonlyMap<string, CommandRecord>, c: CommandRecord): ReadonlyMap<string, CommandRecord> {
  const next = new Map(m).set(c.id, c);
  if (next.size > KEPT) {
    const oldest = [...next.values()].filter((x) => x.status !== 'pending_approval').sort((a, b) => a.updatedAt - b.updatedAt)[0];
    if (oldest) next.delete(oldest.id);
  }
  return next;
}

export class CommandsState {
  readonly commands = new Store<ReadonlyMap<string, CommandRecord>>(new Map());
}

const CommandsContext = createContext<CommandsState | null>(null);

export function CommandsProvider({ children }: { children: ReactNode }) {
  const [state] = useState(() => new CommandsState());
  useStoreFeed(state.commands, {
    load: async (c) => {
      const [pending, recent] = await Promise.all([c.call('commands.list', { status: 'pending_approval', limit: 500 }), c.call('commands.list', { limit: 200 })]);
      return new Map([...recent, ...pending].map((x) => [x.id, x]));
    },
    on: { command: withCommand },
  });
  return <CommandsContext.Provider value={state}>{children}</CommandsContext.Provider>;
}

export function useCommandsState(): CommandsState {
  const s = useContext(CommandsContext);
  if (!s) throw new Error('useCommandsState outside CommandsProvider');
  return s;
}

export const useCommands = () => useStore(useCommandsState().commands);
export const usePending = () => [...useCommands().values()].filter((c) => c.status === 'pending_approval').sort((a, b) => a.createdAt - b.createdAt);

/** A motor's set-points, kept current by the engine's setpoints events. */
export function useSetpoints(deviceId: string): Setpoints | undefined {
  return useEngineQuery('commands.setpoints', { deviceId }, { filter: { motor: deviceId }, on: { setpoints: (s, e) => (e.deviceId === deviceId ? e : s) } }).data;
}

export type { AuditEntry };
