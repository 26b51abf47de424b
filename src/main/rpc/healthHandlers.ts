import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { SEVERITIES, healthMethods } from '../../shared/healthContract';
import { RpcError } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { AlarmError } from '../health/alarms';
import { remainingLifeOf } from '../health/remainingLifeView';

type HealthMethod = keyof typeof healthMethods & MethodName;
type Handler<M extends MethodName> = (engine: Engine, params: ParamsOf<M> & Record<string, unknown>) => Promise<ResultOf<M>> | ResultOf<M>;

const motorOrThrow = (e: Engine, id: string) => {
  const t = e.twins.get(id);
  if (!t) throw new RpcError('not_found', `no motor "${id}"`);
  return t;
};

/** Alarm book errors become the contract's error codes. */
function alarmCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AlarmError) throw new RpcError(e.code, e.message);
    throw e;
  }
}

export const healthHandlers: { [M in HealthMethod]: Handler<M> } = {
  'alarms.list': (e, p) => {
    const now = Date.now();
    return e.health.alarms
      .all()
      .filter((a) => (!p.id || a.motorId === p.id) && (!p.states || p.states.includes(a.state)) && (!p.severities || p.severities.includes(a.severity)))
      .filter((a) => p.includeShelved !== false || !e.health.alarms.isShelved(a, now))
      .slice(0, p.limit ?? 500);
  },
  'alarms.transitions': (e, p) => e.health.store.transitions({ id: p.id, alarmId: p.alarmId, from: p.from, limit: p.limit ?? 1000 }),
  'alarms.ack': (e, p) => alarmCall(() => ({ ...e.health.alarms.ack(p.alarmId, p.comment ?? '') })),
  'alarms.shelve': (e, p) => alarmCall(() => ({ ...e.health.alarms.shelve(p.alarmId, Date.now() + p.minutes * 60_000, p.comment ?? '') })),
  'alarms.unshelve': (e, p) => alarmCall(() => ({ ...e.health.alarms.unshelve(p.alarmId) })),
  'alarms.summary': (e) => {
    const now = Date.now();
    const activeBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>;
    let unacknowledged = 0;
    for (const a of e.health.alarms.all()) {
      if (e.health.alarms.isShelved(a, now)) continue;
      if (a.state === 'active_unacked' || a.state === 'cleared_unacked') unacknowledged++;
      if (a.state === 'active_unacked' || a.state === 'active_acked') activeBySeverity[a.severity]++;
    }
    return { unacknowledged, activeBySeverity };
  },
  'rules.get': (e, p) => {
    motorOrThrow(e, p.id);
    return e.health.rulesFor(p.id);
  },
  'rules.set': (e, params) => {
    const p = healthMethods['rules.set'].params.parse(params);
    if (p.scope === 'motor') motorOrThrow(e, p.key);
    try {
      e.health.setRules(p.scope, p.key, p.rules);
    } catch (err) {
      throw new RpcError('invalid_params', (err as Error).message);
    }
    return { saved: p.rules.length };
  },
  'health.get': (e, p) => {
    motorOrThrow(e, p.id);
    return e.health.health(p.id);
  },
  'health.list': (e) => e.twins.all().map((t) => e.health.health(t.id)),
  'health.remainingLife': async (e, p) => {
    const t = motorOrThrow(e, p.id);
    await e.drain();
    const mechanical = e.health.rulesFor(p.id).rules.find((r) => r.condition === 'MECHANICAL_FAULT')?.clauses[0];
    const limitG = mechanical?.kind === 'threshold' ? mechanical.value : 0.05;
    return remainingLifeOf(e.historian, p.id, p.metric ?? 'vib_velocity', t, limitG);
  },
  'anomaly.learnBaseline': (e, p) => {
    motorOrThrow(e, p.id);
    return e.health.learnBaseline(p.id);
  },
  'waveforms.list': (e, p) => {
    motorOrThrow(e, p.id);
    return e.health.store.waveformAnalyses(p.id, p.limit ?? 40);
  },
  'waveforms.latest': (e, p) => {
    motorOrThrow(e, p.id);
    return e.health.latestWaveform(p.id);
  },
};
