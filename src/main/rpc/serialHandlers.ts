import { join } from 'node:path';
import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { RpcError } from '../../shared/rpc/envelope';
import { serialMethods } from '../../shared/serialContract';
import type { Engine } from '../engine';
import { projectFirmwareBuilds } from '../flash/projectBuilds';
import type { OperatorAction } from '../../shared/commandsContract';
import { CommandRefused } from '../commands/commandService';

type SerialMethod = keyof typeof serialMethods & MethodName;
type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

/** Errors from ports, flashing and calibration already say what to do: pass them on as "failed". */
async function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RpcError) throw e;
    throw new RpcError('failed', (e as Error).message);
  }
}

const ACTUATING = new Set<string>(['REDUCE_LOAD', 'SET_SPEED', 'STOP', 'START', 'SET_RATE', 'REBOOT']);

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
function consoleRefusal(line: string): string | null {
  const named = [...ACTUATING].find((a) => new RegExp(`\\b${a}\\b`, 'i').test(line));
  if (named) return `${named} moves the motor: send it as a command, so it passes the motor's limits`;
  if (/\\u[0-9a-f]{4}/i.test(line)) return 'a console line may not hide characters behind \\u escapes: a disguised command is still a command';
  if (actionOf(line) === 'CONFIG') return 'CONFIG carries secrets: use Provision, which keeps them out of the console';
  return null;
}

const boardOrThrow = (e: Engine, path: string) => {
  const b = e.devices.serial.board(path);
  if (!b) throw new RpcError('not_found', `${path} is not open: open it first`);
  return b;
};

const info = (e: Engine, path: string) => {
  const i = e.devices.serial.list().find((p) => p.path === path);
  if (!i) throw new RpcError('not_found', `no port ${path}`);
  return i;
};

export const serialHandlers: { [M in SerialMethod]: Handler<M> } = {
  // A person opening the list gets a fresh one; between plug events nothing is listed.
  'serial.ports': async (e) => {
    await e.devices.serial.poll();
    return e.devices.serial.list();
  },
  'serial.open': (e, p) =>
    attempt(async () => {
      const { path, baud } = serialMethods['serial.open'].params.parse(p);
      await e.devices.serial.open(path, baud);
      e.devices.serial.publish();
      return info(e, path);
    }),
  'serial.close': async (e, p) => ({ closed: await e.devices.serial.close(p.path) }),
  'serial.console': (e, p) => {
    const q = serialMethods['serial.console'].params.parse(p);
    const b = boardOrThrow(e, q.path);
    return { lines: b.console.since(q.afterSeq, q.limit), dropped: b.console.dropped };
  },
  'serial.clear': (e, p) => {
    boardOrThrow(e, p.path).console.clear();
    return { cleared: true };
  },
  'serial.send': (e, p) =>
    attempt(() => {
      const refusal = consoleRefusal(p.line);
      if (refusal) throw new RpcError('refused', refusal);
      boardOrThrow(e, p.path).writeLine(p.line);
      return { sent: true };
    }),
  'serial.command': (e, p) =>
    attempt(async () => {
      const board = boardOrThrow(e, p.path);
      const action = typeof p.command.action === 'string' ? p.command.action : null;
      // Whatever moves the motor goes through the same gate as the motor page, the rules and the agent.
      if (action && ACTUATING.has(action)) {
        if (!board.deviceId) throw new RpcError('refused', 'this board has not said which motor it is yet; wait for its first message');
        const value = typeof p.command.value === 'number' ? p.command.value : undefined;
        try {
          const c = e.commands.create({ deviceId: board.deviceId, action: action as OperatorAction, value, reason: 'sent from the serial console' }, { kind: 'person', name: 'serial console' });
          return { id: c.id, status: c.status, detail: c.detail };
        } catch (err) {
          if (err instanceof CommandRefused) throw new RpcError('refused', err.message);
          throw err;
        }
      }
      const ack = await board.command(p.command);
      return { id: ack.id, status: ack.status, detail: ack.detail ?? null };
    }),
  'flash.builds': () => projectFirmwareBuilds(),
  'serial.provision': (e, p) =>
    attempt(async () => {
      const settings = Object.fromEntries(Object.entries(p.settings).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const ack = await boardOrThrow(e, p.path).configure(settings);
      return { id: ack.id, status: ack.status, detail: ack.detail ?? null };
    }),
  'serial.log': (e, p) => {
    const b = boardOrThrow(e, p.path);
    if (!p.enabled) {
      b.console.stopLog();
      return { file: null };
    }
    const name = `serial-${p.path.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    return { file: b.console.startLog(join(e.config.dataDir, 'logs', name)) };
  },
  'flash.upload': (e, p) => attempt(() => e.devices.flash.upload(p.uploadId, p.data, p.final ?? false)),
  'flash.start': (e, p) => attempt(() => e.devices.flash.start(serialMethods['flash.start'].params.parse(p))),
  'flash.cancel': (e, p) => ({ cancelled: e.devices.flash.cancel(p.jobId) }),
  'flash.jobs': (e) => e.devices.flash.list(),
  'calibration.measure': (e, p) =>
    attempt(() => {
      const q = serialMethods['calibration.measure'].params.parse(p);
      return e.devices.calibration.measure(q.deviceId, q.sensor, q.seconds);
    }),
  'calibration.run': (e, p) => attempt(() => e.devices.calibration.run(serialMethods['calibration.run'].params.parse(p))),
  'calibration.certificates': (e, p) => e.devices.calibration.list(p.deviceId),
  'calibration.export': (e, p) => attempt(() => e.devices.calibration.exportHtml(p.id)),
};
