import { basename } from 'node:path';
import type { MethodName } from '../../shared/contract';
import type { benchtestMethods } from '../../shared/benchtestContract';
import type { Engine } from '../engine';
import type { BenchRun } from '../benchtest/benchRun';
import type { Handlers } from './handler';

/** Does one thing to a run and answers with the run as it is then. */
const onRun = (e: Engine, runId: string, act: (r: BenchRun) => void) => {
  const r = e.benchtest.get(runId);
  act(r);
  return r.snapshot();
};

export const benchtestHandlers: Handlers<keyof typeof benchtestMethods & MethodName> = {
  'benchtest.procedures': (e) => e.benchtest.procedures(),
  'benchtest.saveProcedure': async (e, p) => {
    await e.benchtest.saveProcedure(p.procedure);
    return { saved: true };
  },
  'benchtest.start': async (e, p) => (await e.benchtest.start(p)).snapshot(),
  'benchtest.state': (e, p) => e.benchtest.get(p.runId).snapshot(),
  'benchtest.active': (e) => e.benchtest.active().map((r) => r.snapshot()),
  'benchtest.confirm': (e, p) => onRun(e, p.runId, (r) => r.confirm(p.note)),
  'benchtest.pause': (e, p) => onRun(e, p.runId, (r) => r.pause()),
  'benchtest.resume': (e, p) => onRun(e, p.runId, (r) => r.resume()),
  'benchtest.abort': (e, p) => onRun(e, p.runId, (r) => r.abort(p.reason)),
  'benchtest.rerunStep': (e, p) => onRun(e, p.runId, (r) => r.rerunStep(p.stepId)),
  'benchtest.reports': (e, p) => e.benchtest.store.list(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
  'benchtest.report': async (e, p) => {
    const file = await e.benchtest.report(p.runId, p.format);
    return { file, downloadPath: `/api/reports/${encodeURIComponent(basename(file))}` };
  },
};
