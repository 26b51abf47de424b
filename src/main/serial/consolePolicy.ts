import type { CommandRecord, CommandRequest, Issuer, OperatorAction } from '../../shared/commandsContract';
import { DomainError } from '../platform/domainError';
import type { SerialBoard } from './serialBoard';

// What the serial console lets a person type straight to a board. Whatever moves the motor goes through
// the command gate instead (the motor's limits and, where they ask for it, a person's approval).

/** The actions that move the motor or change how it runs. */
const ACTUATING: ReadonlySet<string> = new Set(['REDUCE_LOAD', 'SET_SPEED', 'STOP', 'START', 'SET_RATE', 'REBOOT']);

function actionOf(line: string): string | null {
  try {
    const v = JSON.parse(line) as { action?: unknown };
    return typeof v?.action === 'string' ? v.action : null;
  } catch {
    // Not JSON: no action, so not an actuating command (the board judges the line itself).
    return null;
  }
}

/**
 * Why a console line may not go to the board as typed, or null. Judged on the raw text, not only on what
 * JSON.parse makes of it: a board's parser may read what JSON.parse refuses or reads otherwise (trailing
 * bytes, a duplicated key, an escaped letter), and the console must never guess in the motor's disfavour.
 */
export function consoleRefusal(line: string): string | null {
  const named = [...ACTUATING].find((a) => new RegExp(`\\b${a}\\b`, 'i').test(line));
  if (named) return `${named} moves the motor: send it as a command, so it passes the motor's limits`;
  if (/\\u[0-9a-f]{4}/i.test(line)) return 'a console line may not hide characters behind \\u escapes: a disguised command is still a command';
  if (actionOf(line) === 'CONFIG') return 'CONFIG carries secrets: use Provision, which keeps them out of the console';
  return null;
}

/** The command gate, as the console uses it. */
export interface ConsoleGate {
  create(req: CommandRequest, issuer: Issuer): Pick<CommandRecord, 'id' | 'status' | 'detail'>;
}

/** A command object from the console: one that moves the motor becomes a command through the gate, any other goes to the board. */
export async function consoleCommand(board: Pick<SerialBoard, 'deviceId' | 'command'>, command: Record<string, unknown>, gate: ConsoleGate): Promise<{ id: string; status: string; detail: string | null }> {
  const action = typeof command.action === 'string' ? command.action : null;
  if (action && ACTUATING.has(action)) {
    if (!board.deviceId) throw new DomainError('refused', 'this board has not said which motor it is yet; wait for its first message');
    const value = typeof command.value === 'number' ? command.value : undefined;
    const c = gate.create({ deviceId: board.deviceId, action: action as OperatorAction, value, reason: 'sent from the serial console' }, { kind: 'person', name: 'serial console' });
    return { id: c.id, status: c.status, detail: c.detail };
  }
  const ack = await board.command(command);
  return { id: ack.id, status: ack.status, detail: ack.detail ?? null };
}
