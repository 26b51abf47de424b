import type { Alarm, WaveformAnalysis } from '../../../shared/healthContract';
import type { ReadingName } from '../../../shared/readings';

// Which part of the model an alarm or a diagnosis belongs to: alarms name a condition, not a part, so the
// condition's words say which reading it is about, and the mapping says where that reading's sensor sits.

/** What the 3D view needs of an alarm, live or replayed from its transitions. */
export type AlarmLike = Pick<Alarm, 'id' | 'condition' | 'message' | 'source' | 'state' | 'shelvedUntil' | 'severity'>;

const BY_WORDS: ReadonlyArray<[RegExp, ReadingName]> = [
  [/TEMP|THERM|OVERHEAT|HOT/i, 'temperature'],
  [/VIB|BEARING|BPF|UNBALANCE|MISALIGN|LOOSE|ISO|ZONE|KURT|CREST/i, 'vib_velocity'],
  [/CURRENT|OVERLOAD|AMP/i, 'current'],
  [/SPEED|RPM|STALL|SLIP/i, 'rpm'],
];

export function alarmReading(a: Pick<Alarm, 'condition' | 'message' | 'source'>): ReadingName | null {
  if (a.source === 'diagnosis') return 'vib_velocity';
  for (const [re, reading] of BY_WORDS) if (re.test(a.condition)) return reading;
  for (const [re, reading] of BY_WORDS) if (re.test(a.message)) return reading;
  return null;
}

export const isActive = (a: Pick<Alarm, 'state' | 'shelvedUntil'>, now: number) =>
  (a.state === 'active_unacked' || a.state === 'active_acked') && !(a.shelvedUntil !== null && a.shelvedUntil > now);

/** The nodes that pulse: those carrying the sensor of an active, unshelved alarm. */
export function alarmNodes(alarms: readonly AlarmLike[], nodeOf: (r: ReadingName) => string | null, now: number): Map<string, AlarmLike[]> {
  const out = new Map<string, AlarmLike[]>();
  for (const a of alarms) {
    if (!isActive(a, now)) continue;
    const r = alarmReading(a);
    const node = r ? nodeOf(r) : null;
    if (!node) continue;
    out.set(node, [...(out.get(node) ?? []), a]);
  }
  return out;
}

/** Nodes that pulse red (an alarm at alert or danger: major, critical) and amber (a watch finding: minor,
 * warning, or a diagnosed fault without such an alarm), sorted so they compare as keys. */
export function nodeColours(byNode: ReadonlyMap<string, AlarmLike[]>, faultNode: string | null): { red: string[]; amber: string[] } {
  const red = [...byNode].filter(([, list]) => list.some((a) => a.severity === 'critical' || a.severity === 'major')).map(([n]) => n);
  const amber = [...byNode.keys(), ...(faultNode ? [faultNode] : [])].filter((n, i, all) => !red.includes(n) && all.indexOf(n) === i);
  return { red: red.sort(), amber: amber.sort() };
}

const BEARING_FAULTS: Record<string, string> = { outer_race: 'outer race fault (BPFO)', inner_race: 'inner race fault (BPFI)', ball: 'rolling element fault (BSF)', cage: 'cage fault (FTF)' };

/** A bearing fault found by the diagnosis, in words, or null for anything else (shaft faults, none, inconclusive). */
export function bearingFault(a: Pick<WaveformAnalysis, 'diagnosis'> | null | undefined): string | null {
  const f = a?.diagnosis?.fault;
  return f && f in BEARING_FAULTS ? BEARING_FAULTS[f] : null;
}
