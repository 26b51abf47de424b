import { FINAL_STATUSES, type CommandRecord, type CommandRequest, type Issuer } from '../../shared/commandsContract';

// How a bench run sets the drive for a speed step or switches it off for a run-down: through the same
// command gate as every other command (limits, audit trail, acknowledgement), as the operator who started
// the run. A command that is refused or not applied rejects with the reason, and the run asks the
// operator to do it by hand instead.

export interface BenchDrive {
  setSpeed(rpm: number, why: string): Promise<void>;
  stop(why: string): Promise<void>;
}

/** The part of the CommandService a bench run uses. */
export interface CommandGate {
  create(req: CommandRequest, issuer: Issuer): CommandRecord;
  on(event: 'command', listener: (c: CommandRecord) => void): unknown;
  off(event: 'command', listener: (c: CommandRecord) => void): unknown;
}

export function gateDrive(gate: CommandGate, deviceId: string, operator: string): BenchDrive {
  const issue = (action: 'SET_SPEED' | 'STOP', value: number | undefined, why: string) =>
    new Promise<void>((resolve, reject) => {
      let id: string | null = null;
      const settle = (c: CommandRecord) => {
        if (c.id !== id || !FINAL_STATUSES.includes(c.status)) return;
        gate.off('command', settle);
        if (c.status === 'applied') resolve();
        else reject(new Error(`${action} ${c.status}${c.detail ? `: ${c.detail}` : ''}`));
      };
      // Listening first: the gate may report the outcome before create() returns.
      gate.on('command', settle);
      try {
        const c = gate.create({ deviceId, action, value, reason: why }, { kind: 'person', name: operator });
        id = c.id;
        settle(c);
      } catch (e) {
        gate.off('command', settle);
        reject(new Error(`${action} refused: ${(e as Error).message}`));
      }
    });
  return {
    setSpeed: (rpm, why) => issue('SET_SPEED', rpm, why),
    stop: (why) => issue('STOP', undefined, why),
  };
}
