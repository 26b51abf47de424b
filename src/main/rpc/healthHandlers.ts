import type { MethodName } from '../../shared/contract';
import type { healthMethods } from '../../shared/healthContract';
import type { Handlers } from './handler';

export const healthHandlers: Handlers<keyof typeof healthMethods & MethodName> = {
  'alarms.list': (e, p) => e.health.alarms.query(p),
  'alarms.transitions': (e, p) => e.health.store.transitions(p),
  'alarms.ack': (e, p) => ({ ...e.health.alarms.ack(p.alarmId, p.comment) }),
  'alarms.shelve': (e, p) => ({ ...e.health.alarms.shelve(p.alarmId, Date.now() + p.minutes * 60_000, p.comment) }),
  'alarms.unshelve': (e, p) => ({ ...e.health.alarms.unshelve(p.alarmId) }),
  'alarms.summary': (e) => e.health.alarms.summary(),
  'rules.get': (e, p) => {
    e.twins.require(p.id);
    return e.health.rulesFor(p.id);
  },
  'rules.set': (e, p) => {
    if (p.scope === 'motor') e.twins.require(p.key);
    e.health.setRules(p.scope, p.key, p.rules);
    return { saved: p.rules.length };
  },
  'health.get': (e, p) => e.health.health(p.id),
  'health.list': (e) => e.twins.all().map((t) => e.health.health(t.id)),
  'health.remainingLife': async (e, p) => {
    e.twins.require(p.id);
    await e.drain();
    return e.health.remainingLife(p.id, p.metric, e.historian);
  },
  'anomaly.learnBaseline': (e, p) => {
    e.twins.require(p.id);
    return e.health.learnBaseline(p.id);
  },
  'waveforms.list': (e, p) => {
    e.twins.require(p.id);
    return e.health.store.waveformAnalyses(p.id, p.limit);
  },
  'waveforms.latest': (e, p) => {
    e.twins.require(p.id);
    return e.health.latestWaveform(p.id);
  },
};
