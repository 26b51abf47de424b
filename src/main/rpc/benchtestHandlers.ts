import { basename } from 'node:path';
import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { benchtestMethods } from '../../shared/benchtestContract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { BenchError } from '../benchtest/benchService';
import { BenchStateError } from '../benchtest/benchRun';
import { ProcedureError } from '../benchtest/procedureLoader';

type BenchMethod = keyof typeof benchtestMethods & MethodName;
type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

/** The bench part's errors become the contract's error codes; anything else stays an internal error. */
async function call<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BenchError) throw new RpcError(e.code, e.message);
    if (e instanceof BenchStateError) throw new RpcError('conflict', e.message);
    if (e instanceof ProcedureError) throw new RpcError('invalid_params', e.message);
    throw e;
  }
}

export const benchtestHandlers: { [M in BenchMethod]: Handler<M> } = {
  'benchtest.procedures': (e) => call(() => e.benchtest.procedures()),
  'benchtest.saveProcedure': (e, p) =>
    call(async () => {
      await e.benchtest.saveProcedure(benchtestMethods['benchtest.saveProcedure'].params.parse(p).procedure);
      return { saved: true };
    }),
  'benchtest.start': (e, p) => call(async () => (await e.benchtest.start(benchtestMethods['benchtest.start'].params.parse(p))).snapshot()),
  'benchtest.state': (e, p) => call(() => e.benchtest.get(p.runId).snapshot()),
  'benchtest.active': (e) => e.benchtest.active().map((r) => r.snapshot()),
  'benchtest.confirm': (e, p) =>
    call(() => {
      const r = e.benchtest.get(p.runId);
      r.confirm(p.note);
      return r.snapshot();
    }),
  'benchtest.pause': (e, p) =>
    call(() => {
      const r = e.benchtest.get(p.runId);
      r.pause();
      return r.snapshot();
    }),
  'benchtest.resume': (e, p) =>
    call(() => {
      const r = e.benchtest.get(p.runId);
      r.resume();
      return r.snapshot();
    }),
  'benchtest.abort': (e, p) =>
    call(() => {
      const r = e.benchtest.get(p.runId);
      r.abort(p.reason);
      return r.snapshot();
    }),
  'benchtest.rerunStep': (e, p) =>
    call(() => {
      const r = e.benchtest.get(p.runId);
      r.rerunStep(p.stepId);
      return r.snapshot();
    }),
  'benchtest.reports': (e, p) => call(() => e.benchtest.store.list(p.serialNumber ? { serialNumber: p.serialNumber } : {})),
  'benchtest.report': (e, p) =>
    call(async () => {
      const file = await e.benchtest.report(p.runId, p.format ?? 'html');
      return { file, downloadPath: `/api/reports/${encodeURIComponent(basename(file))}` };
    }),
};
