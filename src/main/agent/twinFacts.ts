import { READINGS, type ReadingName } from '../../shared/readings';
import type { Alarm, RuleClause } from '../../shared/healthContract';
import type { HealthService } from '../health/healthService';
import type { Historian } from '../store/historian';
import type { TwinRegistry } from '../twin/twinRegistry';

// What the twin knows, as plain facts: the agent's tools hand these to the model, and the no-model fallback
// writes them out. Everything here is read-only.

export interface TwinSource {
  twins: TwinRegistry;
  health: HealthService;
  historian: Pick<Historian, 'history'>;
  drain(): Promise<void>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const r = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(digits + 1)));

export function motorOrError(src: TwinSource, id: string) {
  const t = src.twins.get(id);
  if (!t) {
    const known = src.twins.all().map((x) => x.id);
    throw new Error(`no motor "${id}"${known.length ? `; known motors: ${known.join(', ')}` : ''}`);
  }
  return t;
}

export function describeClause(c: RuleClause): string {
  const unit = c.signal in READINGS ? READINGS[c.signal as ReadingName].unit : '';
  if (c.kind === 'threshold') return `${c.signal} ${c.op} ${c.value}${unit ? ` ${unit}` : ''}${c.forS ? ` for ${c.forS} s` : ''}`;
  return `${c.signal} ${c.op} faster than ${c.perMin}${unit ? ` ${unit}` : ''}/min (over ${c.windowS} s)`;
}

export function twinState(src: TwinSource, id: string) {
  const t = motorOrError(src, id);
  const h = src.health.health(id);
  const readings = Object.fromEntries(
    Object.entries(t.readings)
      .filter(([, v]) => v && v.value !== null)
      .map(([k, v]) => [k, { value: r(v!.value), unit: READINGS[k as ReadingName]?.unit ?? '', at: iso(v!.ts) }]),
  );
  return {
    motor: t.id,
    name: t.name,
    status: src.twins.snapshot(t).status,
    connection: t.connection,
    lastSeen: iso(t.lastSeen),
    readings,
    statusReasons: t.statusReasons.map((s) => s.text),
    health: {
      // One assessment: the index band, the alarms' severities and the status colour all follow its level.
      level: h.assessment.level,
      verdict: h.assessment.verdict,
      findings: h.assessment.findings.map((f) => `${f.level}: ${f.text}`),
      assessedAt: iso(h.ts),
      ...(h.stored ? { note: 'the last assessment stored while the motor was monitored; no live reading since' } : {}),
      index: r(h.index, 2),
      subScores: h.subScores.map((s) => ({ name: s.name, score: r(s.score, 2), reason: s.reason })),
      pulledDownBy: h.pulledDownBy,
      anomaly: { phase: h.anomaly.phase, abnormal: h.anomaly.abnormal, score: r(h.anomaly.score), threshold: r(h.anomaly.threshold) },
    },
    activeAlarms: alarmFacts(src, id, false),
    nameplate: Object.fromEntries(Object.entries(t.nameplate).filter(([, v]) => v !== null)),
    limits: t.limits,
  };
}

export function alarmFacts(src: TwinSource, id: string, includeCleared: boolean) {
  motorOrError(src, id);
  const rules = src.health.rulesFor(id).rules;
  const list: Alarm[] = src.health.alarms.all().filter((a) => a.motorId === id && (includeCleared || a.state.startsWith('active')));
  return list.slice(0, 50).map((a) => ({
    condition: a.condition,
    severity: a.severity,
    state: a.state,
    source: a.source,
    message: a.message,
    raisedAt: iso(a.raisedAt),
    clearedAt: iso(a.clearedAt),
    acknowledged: a.ackedAt !== null,
    rules: rules.filter((x) => x.condition === a.condition).map((x) => `${x.name}: ${x.clauses.map(describeClause).join(x.match === 'all' ? ' and ' : ' or ')}`),
  }));
}

export const AGGREGATIONS = ['avg', 'min', 'max'] as const;

export async function historyFacts(src: TwinSource, id: string, metric: ReadingName, hours: number, aggregation: (typeof AGGREGATIONS)[number]) {
  motorOrError(src, id);
  await src.drain();
  const to = Date.now();
  const from = to - hours * 3_600_000;
  const h = await src.historian.history({ id, metrics: [metric], from, to, maxPoints: 24 });
  const s = h.series[metric];
  const values = (s?.[aggregation] ?? []).map((v, i) => ({ t: h.t[i], v })).filter((p): p is { t: number; v: number } => p.v !== null);
  const unit = READINGS[metric].unit;
  if (!values.length) return { motor: id, metric, unit, hours, aggregation, points: 0, note: `no ${metric} readings in the last ${hours} h` };
  const all = values.map((p) => p.v);
  const mins = (s?.min ?? []).filter((v): v is number => v !== null);
  const maxs = (s?.max ?? []).filter((v): v is number => v !== null);
  const slopePerHour = values.length > 1 ? ((values.at(-1)!.v - values[0].v) / (values.at(-1)!.t - values[0].t)) * 3_600_000 : 0;
  return {
    motor: id,
    metric,
    unit,
    hours,
    aggregation,
    bucket: `${Math.round(h.bucketMs / 60_000)} min`,
    points: values.length,
    min: r(Math.min(...mins)),
    max: r(Math.max(...maxs)),
    mean: r(all.reduce((a, b) => a + b, 0) / all.length),
    first: { at: iso(values[0].t), value: r(values[0].v) },
    last: { at: iso(values.at(-1)!.t), value: r(values.at(-1)!.v) },
    trendPerHour: r(slopePerHour),
    series: values.map((p) => [iso(p.t), r(p.v)]),
  };
}

export async function vibrationFacts(src: TwinSource, id: string) {
  motorOrError(src, id);
  const w = await src.health.latestWaveform(id);
  if (!w) return { motor: id, note: 'no vibration waveform has been analysed for this motor yet' };
  return {
    motor: id,
    at: iso(w.ts),
    axis: w.axis,
    rpm: r(w.rpm),
    bearing: w.bearing,
    velocityRmsMmS: r(w.velocityRmsMmS),
    isoZone: w.isoZone,
    accelerationRmsG: r(w.rmsG),
    kurtosis: r(w.kurtosis),
    crestFactor: r(w.crestFactor),
    diagnosis: w.diagnosis
      ? { fault: w.diagnosis.fault, confidence: r(w.diagnosis.confidence, 2), evidence: w.diagnosis.evidence, peaks: w.diagnosis.peaks.slice(0, 6).map((p) => `${p.label} ${r(p.hz)} Hz (SNR ${r(p.snr, 2)})`) }
      : null,
    warnings: w.warnings,
    error: w.error,
  };
}
