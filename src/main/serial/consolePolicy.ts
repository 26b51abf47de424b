// What the serial console lets a person type straight to a board. Whatever moves the motor goes through
// the command gate instead (the motor's limits and, where they ask for it, a person's approval).

/** The actions that move the motor or change how it runs. */
export const ACTUATING: ReadonlySet<string> = new Set(['REDUCE_LOAD', 'SET_SPEED', 'STOP', 'START', 'SET_RATE', 'REBOOT']);

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
