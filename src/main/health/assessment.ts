import type { Alarm, AssessmentLevel, Finding, MotorAssessment, Severity, SubScore, WaveformAnalysis } from '../../shared/healthContract';
import { ASSESSMENT_LEVELS, SEVERITIES } from '../../shared/healthContract';
import type { Nameplate, StatusReason } from '../../shared/twin';
import { zoneLimits, type ZoneLimits } from '../vibration/iso20816';

// One assessment per motor, made in one place: the index band, the alarm severities, the twin's status colour
// and the 3D overlay all follow its level, and they all show its words. Levels as ISO 20816 practice uses
// them: zone A/B is normal running, C is ALERT (plan action), D is DANGER; a defect found in the envelope while
// the overall level is still A or B is an early-stage finding: WATCH, not an alarm colour.

/** The index lies in its level's band (normal 80-100, watch 50-79, alert 25-49, danger 0-24). */
export const INDEX_BANDS: Record<AssessmentLevel, [number, number]> = { normal: [80, 100], watch: [50, 79], alert: [25, 49], danger: [0, 24] };
/** The severity an alarm raised from a finding carries, and back. */
export const ALARM_SEVERITY: Record<Exclude<AssessmentLevel, 'normal'>, Severity> = { watch: 'minor', alert: 'major', danger: 'critical' };
export const levelOfSeverity = (s: Severity): AssessmentLevel => (s === 'critical' ? 'danger' : s === 'major' ? 'alert' : 'watch');
const rank = (l: AssessmentLevel) => ASSESSMENT_LEVELS.indexOf(l);
export const worse = (a: AssessmentLevel, b: AssessmentLevel) => (rank(a) >= rank(b) ? a : b);

/** A diagnosis below this confidence is not a finding (a healthy machine's residual 1x reads as weak unbalance). */
export const DIAGNOSIS_CONFIDENCE = 0.7;
const FAULT_WORDS: Record<string, string> = {
  outer_race: 'outer-race defect',
  inner_race: 'inner-race defect',
  ball: 'rolling-element defect',
  cage: 'cage defect',
  unbalance: 'unbalance',
  misalignment: 'misalignment',
  looseness: 'mechanical looseness',
};
const BEARING = new Set(['outer_race', 'inner_race', 'ball', 'cage']);

export type Zone = 'A' | 'B' | 'C' | 'D';

/** Each nameplate's zone limits: asked for several times a snapshot, worked out once (a changed nameplate is a new object). */
const limitsOfNameplate = new WeakMap<Nameplate, ZoneLimits>();

/** The ISO 20816-3 zone limits of a motor by its nameplate (group 2 and a rigid foundation when not set). */
export function nameplateZoneLimits(nameplate: Nameplate): ZoneLimits {
  let z = limitsOfNameplate.get(nameplate);
  if (!z) limitsOfNameplate.set(nameplate, (z = zoneLimits(nameplate.isoGroup ?? 2, nameplate.foundation ?? 'rigid')));
  return z;
}

export function isoZone(velocityMmS: number | null, nameplate: Nameplate): Zone | null {
  if (velocityMmS === null) return null;
  const z = nameplateZoneLimits(nameplate);
  return velocityMmS < z.ab ? 'A' : velocityMmS < z.bc ? 'B' : velocityMmS < z.cd ? 'C' : 'D';
}

const ZONE_LEVEL: Record<Zone, AssessmentLevel> = { A: 'normal', B: 'normal', C: 'alert', D: 'danger' };

/** A confident diagnosis as a finding, its level set by the overall vibration zone; null when there is none. */
export function diagnosisFinding(d: Pick<NonNullable<WaveformAnalysis['diagnosis']>, 'fault' | 'confidence'> | null, zone: Zone | null): Finding | null {
  if (!d || !(d.fault in FAULT_WORDS) || d.confidence < DIAGNOSIS_CONFIDENCE) return null;
  const what = FAULT_WORDS[d.fault];
  const bearing = BEARING.has(d.fault);
  const level = zone ? worse('watch', ZONE_LEVEL[zone]) : 'watch';
  const overall = `overall vibration ${zone ? `still zone ${zone}` : 'level not known'}`;
  const text =
    level === 'watch'
      ? bearing
        ? `early-stage ${what}: bearing tones in the envelope, ${overall}`
        : `${what}: its lines in the spectrum, ${overall}`
      : `${what} with overall vibration in zone ${zone}: ${level === 'danger' ? 'damage is likely, stop at the next chance' : 'plan the repair'}`;
  return { about: bearing ? 'bearing' : 'vibration', source: 'diagnosis', level, text };
}

export interface AssessmentInput {
  nameplate: Nameplate;
  velocityMmS: number | null;
  diagnosis: WaveformAnalysis['diagnosis'];
  subScores: SubScore[];
  /** Active, unshelved alarms; those raised from the diagnosis are that finding already. */
  alarms: Pick<Alarm, 'condition' | 'severity' | 'source' | 'message'>[];
}

/** Sub-score findings: thermal follows its score; speed is at most worth watching. */
function scoreLevel(s: SubScore): AssessmentLevel {
  if (s.score === null || s.score >= 80) return 'normal';
  const l: AssessmentLevel = s.score >= 50 ? 'watch' : s.score >= 25 ? 'alert' : 'danger';
  return s.name === 'speed' ? 'watch' : l;
}

export function assess(i: AssessmentInput): MotorAssessment {
  const findings: Finding[] = [];
  const zone = isoZone(i.velocityMmS, i.nameplate);
  // A diagnosis names the zone in its words: the zone alone is a finding only without one.
  const d = diagnosisFinding(i.diagnosis, zone);
  if (d) findings.push(d);
  else if (zone && ZONE_LEVEL[zone] !== 'normal') findings.push({ about: 'vibration', source: 'zone', level: ZONE_LEVEL[zone], text: `overall vibration ${i.velocityMmS!.toFixed(2)} mm/s RMS is ISO 20816-3 zone ${zone}` });
  for (const s of i.subScores) {
    if ((s.name === 'thermal' || s.name === 'speed') && scoreLevel(s) !== 'normal') findings.push({ about: s.name, source: s.name, level: scoreLevel(s), text: s.reason });
  }
  // A rule's or the anomaly detector's message already names what it found ("Overheating: frame …").
  for (const a of i.alarms) if (a.source !== 'diagnosis') findings.push({ about: a.condition, source: 'alarm', level: levelOfSeverity(a.severity), text: a.message });
  findings.sort((a, b) => rank(b.level) - rank(a.level));
  const level = findings[0]?.level ?? 'normal';
  const head = findings[0] ? capitalise(findings[0].text) : `Nothing found${zone ? `: overall vibration zone ${zone}` : ''}`;
  const more = findings.length > 1 ? ` (and ${findings.length - 1} more finding${findings.length > 2 ? 's' : ''})` : '';
  return { level, verdict: `${head}${more}`, findings, band: INDEX_BANDS[level] };
}

/** A sub-score for a finding: the middle of its level's band. */
export const FINDING_SCORE: Record<Exclude<AssessmentLevel, 'normal'>, number> = { watch: 65, alert: 37, danger: 12 };

/** The index, kept inside the band of the assessment's level. */
export const indexInBand = (index: number | null, a: MotorAssessment): number | null => (index === null ? (a.level === 'normal' ? null : a.band[1]) : Math.min(a.band[1], Math.max(a.band[0], index)));

/** The reading a finding that no alarm voices is about, for the twin's status reasons. */
const FINDING_READING: Partial<Record<Finding['source'], string>> = { zone: 'vib_velocity', thermal: 'temperature', speed: 'rpm' };

/**
 * The twin's status reasons, so its colour is the assessment's: each open alarm (whose severity the
 * assessment set where it raised it), and each finding no alarm voices (an alarm on the same reading at the
 * same level or worse does).
 */
export function statusReasons(alarms: Pick<Alarm, 'condition' | 'severity' | 'message'>[], readingOf: (condition: string) => string, a: MotorAssessment | null): StatusReason[] {
  const reasons: StatusReason[] = [...alarms]
    .sort((x, y) => SEVERITIES.indexOf(x.severity) - SEVERITIES.indexOf(y.severity))
    .map((x) => ({ level: levelOfSeverity(x.severity) === 'watch' ? 'warning' : 'alarm', reading: readingOf(x.condition), text: `${x.condition} (${x.severity}): ${x.message}` }));
  for (const f of a?.findings ?? []) {
    const reading = FINDING_READING[f.source];
    if (!reading || alarms.some((x) => readingOf(x.condition).startsWith(reading) && rank(levelOfSeverity(x.severity)) >= rank(f.level))) continue;
    reasons.push({ level: f.level === 'watch' ? 'warning' : 'alarm', reading, text: `${capitalise(f.level)}: ${f.text}` });
  }
  return reasons;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
