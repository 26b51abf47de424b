import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AuditEntry, CommandRecord, Setpoints } from '../../../shared/commandsContract';
import { useEngineClient } from '../../engine/EngineProvider';
import { Store, useStore } from '../../engine/store';
import './commands.css';

// What the UI knows about the closed loop: recent commands (the approval queue among them), each
// motor's set-points, and the audit entries that arrived while it was open. Loaded per connection,
// kept current by the engine's command, setpoints and audit events.

const KEPT = 300;

export class CommandsState {
  readonly commands = new Store<ReadonlyMap<string, CommandRecord>>(new Map());
  readonly setpoints = new Store<ReadonlyMap<string, Setpoints>>(new Map());
  /** Bumped on every audit entry, so timelines know to reload. */
  readonly auditVersion = new Store(0);
  /** Command outcomes to show as toasts. */
  readonly toasts = new Store<readonly Toast[]>([]);

  putCommand(c: CommandRecord, announce: boolean): void {
    this.commands.update((m) => {
      const next = new Map(m).set(c.id, c);
      if (next.size > KEPT) {
        const oldest = [...next.values()].filter((x) => x.status !== 'pending_approval').sort((a, b) => a.updatedAt - b.updatedAt)[0];
        if (oldest) next.delete(oldest.id);
      }
      return next;
    });
    if (announce) this.announce(c);
  }

  private announce(c: CommandRecord): void {
    const text =
      c.status === 'pending_approval'
        ? `${c.deviceId}: ${c.issuer.kind} ${c.issuer.name} proposes ${c.action}${c.value === null ? '' : ` ${c.value}`}, waiting for approval`
        : ['applied', 'rejected', 'expired', 'failed'].includes(c.status)
          ? `${c.deviceId}: ${c.action} ${c.status}${c.detail ? ` (${c.detail})` : ''}`
          : null;
    if (!text) return;
    const level = c.status === 'applied' ? 'ok' : c.status === 'pending_approval' ? 'info' : 'warn';
    const toast: Toast = { id: `${c.id}:${c.status}`, text, level, href: c.status === 'pending_approval' ? '#/approvals' : `#/motor/${encodeURIComponent(c.deviceId)}` };
    this.toasts.update((t) => [...t.filter((x) => x.id !== toast.id), toast].slice(-4));
  }

  dismiss(id: string): void {
    this.toasts.update((t) => t.filter((x) => x.id !== id));
  }
}

export interface Toast {
  id: string;
  text: string;
  level: 'ok' | 'info' | 'warn';
  href: string;
}

const CommandsContext = createContext<CommandsState | null>(null);

export function CommandsProvider({ children }: { children: ReactNode }) {
  const client = useEngineClient();
  const [state] = useState(() => new CommandsState());
  useEffect(() => {
    if (!client) return;
    const offs = [
      client.on('command', (c) => state.putCommand(c, true)),
      client.on('setpoints', (s) => state.setpoints.update((m) => new Map(m).set(s.deviceId, s))),
      client.on('audit', () => state.auditVersion.update((v) => v + 1)),
    ];
    void Promise.all([client.call('commands.list', { status: 'pending_approval', limit: 500 }), client.call('commands.list', { limit: 200 })]).then(
      ([pending, recent]) => state.commands.set(new Map([...recent, ...pending].map((c) => [c.id, c]))),
      () => undefined, // the connection dropped: this runs again on reconnect
    );
    return () => offs.forEach((off) => off());
  }, [client, state]);
  return <CommandsContext.Provider value={state}>{children}</CommandsContext.Provider>;
}

export function useCommandsState(): CommandsState {
  const s = useContext(CommandsContext);
  if (!s) throw new Error('useCommandsState outside CommandsProvider');
  return s;
}

export const useCommands = () => useStore(useCommandsState().commands);
export const usePending = () => [...useCommands().values()].filter((c) => c.status === 'pending_approval').sort((a, b) => a.createdAt - b.createdAt);
export const useAuditVersion = () => useStore(useCommandsState().auditVersion);
export const useToasts = () => useStore(useCommandsState().toasts);

/** A motor's set-points: from events when they came, else asked once. */
export function useSetpoints(deviceId: string): Setpoints | undefined {
  const state = useCommandsState();
  const client = useEngineClient();
  const all = useStore(state.setpoints);
  useEffect(() => {
    if (!client || all.has(deviceId)) return;
    client.call('commands.setpoints', { deviceId }).then(
      (s) => state.setpoints.update((m) => (m.has(deviceId) ? m : new Map(m).set(deviceId, s))),
      () => undefined,
    );
  }, [client, deviceId, all, state]);
  return all.get(deviceId);
}

export type { AuditEntry };
