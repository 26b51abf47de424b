import { join } from 'node:path';
import type { MethodName } from '../../shared/contract';
import type { serialMethods } from '../../shared/serialContract';
import type { Engine } from '../engine';
import { projectFirmwareBuilds } from '../flash/projectBuilds';
import { DomainError } from '../platform/domainError';
import { consoleCommand, consoleRefusal } from '../serial/consolePolicy';
import type { Handlers } from './handler';

type SerialMethod = keyof typeof serialMethods & MethodName;

/**
 * The parts' refusals keep their code; anything else here comes from the port or the board itself (the serial
 * library, a board's timeout) and already says what went wrong in words: the device failed, so "failed".
 */
async function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof DomainError ? e : new DomainError('failed', (e as Error).message);
  }
}

const boardOrThrow = (e: Engine, path: string) => {
  const b = e.devices.serial.board(path);
  if (!b) throw new DomainError('not_found', `${path} is not open: open it first`);
  return b;
};

const info = (e: Engine, path: string) => {
  const i = e.devices.serial.list().find((p) => p.path === path);
  if (!i) throw new DomainError('not_found', `no port ${path}`);
  return i;
};

export const serialHandlers: Handlers<SerialMethod> = {
  'serial.ports': (e) => e.devices.serial.ports(),
  'serial.open': (e, p) =>
    attempt(async () => {
      await e.devices.serial.open(p.path, p.baud);
      e.devices.serial.publish();
      return info(e, p.path);
    }),
  'serial.close': async (e, p) => ({ closed: await e.devices.serial.close(p.path) }),
  'serial.console': (e, p) => {
    const b = boardOrThrow(e, p.path);
    return { lines: b.console.since(p.afterSeq, p.limit), dropped: b.console.dropped };
  },
  'serial.clear': (e, p) => {
    boardOrThrow(e, p.path).console.clear();
    return { cleared: true };
  },
  'serial.send': (e, p) =>
    attempt(() => {
      const refusal = consoleRefusal(p.line);
      if (refusal) throw new DomainError('refused', refusal);
      boardOrThrow(e, p.path).writeLine(p.line);
      return { sent: true };
    }),
  // Whatever moves the motor goes through the same gate as the motor page, the rules and the agent.
  'serial.command': (e, p) => attempt(() => consoleCommand(boardOrThrow(e, p.path), p.command, e.commands)),
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
  'flash.upload': (e, p) => attempt(() => e.devices.flash.upload(p.uploadId, p.data, p.final)),
  'flash.start': (e, p) => attempt(() => e.devices.flash.start(p)),
  'flash.cancel': (e, p) => ({ cancelled: e.devices.flash.cancel(p.jobId) }),
  'flash.jobs': (e) => e.devices.flash.list(),
  'calibration.measure': (e, p) => attempt(() => e.devices.calibration.measure(p.deviceId, p.sensor, p.seconds)),
  'calibration.run': (e, p) => attempt(() => e.devices.calibration.run(p)),
  'calibration.certificates': (e, p) => e.devices.calibration.list(p.deviceId),
  'calibration.export': (e, p) => attempt(() => e.devices.calibration.exportHtml(p.id)),
};
