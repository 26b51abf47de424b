import { describe, expect, it } from 'vitest';
import type { Alarm, SubScore } from '../../shared/healthContract';
import { nameplateSchema } from '../../shared/twin';
import { AlarmBook } from './alarms';
import { ALARM_SEVERITY, assess, indexInBand, statusReasons, type AssessmentInput } from './assessment';
import { computeHealth, type HealthInput } from './healthIndex';

const nameplate = nameplateSchema.parse({ isoGroup: 2, foundation: 'rigid' });
const outerRace = { fault: 'outer_race', confidence: 1, evidence: 'envelope line at 88.8 Hz for BPFO 88.7 Hz' };
const base: AssessmentInput = { nameplate, velocityMmS: 0.75, diagnosis: null, subScores: [], alarms: [] };
/** The index the way a motor's snapshot makes it: weighted sub-scores, held in the assessment's band. */
function story(velocityMmS: number, diagnosis: typeof outerRace | null, alarms: AssessmentInput['alarms'] = []) {
  const h: HealthInput = {
    nameplate,
    temperature: 55,
    ambient: 24,
    velocityMmS,
    velocitySource: 'from the board',
    rpmCv: 0.0004,
    rpmMean: 1485,
    bearing: diagnosis && { ...diagnosis, ageS: 5 },
    anomaly: { score: 9, threshold: 7, drivers: [] },
  };
  const r = computeHealth(h);
  const a = assess({ nameplate, velocityMmS, diagnosis: diagnosis && { ...diagnosis, peaks: [] }, subScores: r.subScores, alarms });
  return { a, index: indexInBand(r.index, a), bearing: r.subScores.find((s) => s.name === 'bearing') as SubScore };
}

describe('one assessment per motor', () => {
  it('calls an outer-race defect in zone A early-stage, and the index, alarm severity and sub-score say so too', () => {
    const { a, index, bearing } = story(0.75, outerRace);
    expect(a.level).toBe('watch');
    expect(a.verdict).toBe('Early-stage outer-race defect: bearing tones in the envelope, overall vibration still zone A');
    expect(index).toBeGreaterThanOrEqual(50);
    expect(index).toBeLessThanOrEqual(79);
    expect(ALARM_SEVERITY.watch).toBe('minor');
    expect(bearing.reason).toMatch(/^early-stage outer-race defect: bearing tones in the envelope, overall vibration still zone A \(confidence 100 %\)/);
  });

  it('raises the same defect to alert in zone C and to danger in zone D', () => {
    expect(story(3.2, outerRace).a).toMatchObject({ level: 'alert', verdict: expect.stringMatching(/^Outer-race defect with overall vibration in zone C: plan the repair/) });
    const d = story(5, outerRace);
    expect(d.a.level).toBe('danger');
    expect(d.index).toBeLessThanOrEqual(24);
  });

  it('is normal, with the index in the green band, when nothing is found', () => {
    const { a, index } = story(0.75, null);
    expect(a).toMatchObject({ level: 'normal', verdict: 'Nothing found: overall vibration zone A', findings: [] });
    expect(index).toBeGreaterThanOrEqual(80);
  });

  it('leaves a diagnosis below the confidence a finding needs out of the story', () => {
    expect(assess({ ...base, diagnosis: { ...outerRace, confidence: 0.5, peaks: [] } }).level).toBe('normal');
  });

  it('takes a rule alarm in at its severity, and the diagnosis alarm not twice', () => {
    const alarms = [
      { condition: 'OVERHEATING', severity: 'critical', source: 'rule', message: 'temperature above 80 C' },
      { condition: 'VIBRATION_DIAGNOSIS', severity: 'minor', source: 'diagnosis', message: 'early-stage …' },
    ] satisfies AssessmentInput['alarms'];
    const a = assess({ ...base, diagnosis: { ...outerRace, peaks: [] }, alarms });
    expect(a.level).toBe('danger');
    expect(a.findings.map((f) => f.about)).toEqual(['OVERHEATING', 'bearing']);
    expect(a.verdict).toBe('Temperature above 80 C (and 1 more finding)');
  });

  it('colours the status by the assessment: a finding no alarm voices is a reason of its own, one an alarm voices is not repeated', () => {
    const warm: SubScore = { name: 'thermal', weight: 0.25, score: 60, reason: 'rise 72 K is 90 % of the 80 K allowed' };
    const a = assess({ ...base, subScores: [warm] });
    expect(statusReasons([], (c) => c, a)).toEqual([{ level: 'warning', reading: 'temperature', text: 'Watch: rise 72 K is 90 % of the 80 K allowed' }]);
    const zoneD = assess({ ...base, velocityMmS: 5 });
    const alarm = { condition: 'VIBRATION_ZONE_D', severity: 'critical' as const, message: 'vibration velocity above 4.5 mm/s' };
    expect(statusReasons([], (c) => c, zoneD).map((r) => r.level)).toEqual(['alarm']);
    expect(statusReasons([alarm], () => 'vib_velocity', zoneD).map((r) => r.text)).toEqual(['VIBRATION_ZONE_D (critical): vibration velocity above 4.5 mm/s']);
  });

  it('records a change of severity of an open alarm as its own transition', () => {
    const book = new AlarmBook();
    const log: string[] = [];
    book.on('change', (_a: Alarm, t) => log.push(`${t.action}:${t.comment ?? ''}`));
    const raise = (severity: Alarm['severity'], ts: number) => book.raise({ motorId: 'm1', condition: 'VIBRATION_DIAGNOSIS', severity, source: 'diagnosis', message: 'outer race', ts });
    raise('minor', 1);
    raise('minor', 2);
    raise('major', 3);
    expect(log).toEqual(['raise:', 'severity:minor to major']);
  });
});
