import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../shared/healthContract';
import { alarmNodes, alarmReading, bearingFault, nodeColours } from './alarmParts';

const alarm = (over: Partial<Alarm>): Alarm => ({
  id: 'a1',
  motorId: 'm',
  condition: 'HIGH_TEMPERATURE',
  severity: 'major',
  state: 'active_unacked',
  source: 'rule',
  message: '',
  raisedAt: 0,
  updatedAt: 0,
  clearedAt: null,
  ackedAt: null,
  ackComment: null,
  shelvedUntil: null,
  repeats: 0,
  ...over,
});

describe('alarms on parts', () => {
  it('reads the reading an alarm is about from its condition, then its message', () => {
    expect(alarmReading(alarm({}))).toBe('temperature');
    expect(alarmReading(alarm({ condition: 'VIBRATION_ZONE_C' }))).toBe('vib_velocity');
    expect(alarmReading(alarm({ condition: 'X1', message: 'motor current above 12 A' }))).toBe('current');
    expect(alarmReading(alarm({ condition: 'X1', source: 'diagnosis' }))).toBe('vib_velocity');
    expect(alarmReading(alarm({ condition: 'X1', message: 'something' }))).toBeNull();
  });
  it('pulses the node of each active, unshelved alarm', () => {
    const nodeOf = (r: string) => ({ temperature: 'frame', vib_velocity: 'bearing_de' })[r] ?? null;
    const nodes = alarmNodes(
      [
        alarm({ id: 'a' }),
        alarm({ id: 'b', condition: 'BEARING_WEAR', state: 'active_acked' }),
        alarm({ id: 'c', condition: 'HIGH_TEMPERATURE', state: 'cleared_unacked' }),
        alarm({ id: 'd', condition: 'BEARING_WEAR', shelvedUntil: 2000 }),
      ],
      nodeOf,
      1000,
    );
    expect([...nodes.keys()].sort()).toEqual(['bearing_de', 'frame']);
    expect(nodes.get('bearing_de')!.map((a) => a.id)).toEqual(['b']);
  });
  it('colours a node as the assessment does: red at alert or danger, amber for an early finding', () => {
    const byNode = new Map([
      ['frame', [alarm({ id: 'hot', severity: 'critical' })]],
      ['bearing_de', [alarm({ id: 'early', condition: 'VIBRATION_DIAGNOSIS', source: 'diagnosis', severity: 'minor' })]],
    ]);
    expect(nodeColours(byNode, 'bearing_de')).toEqual({ red: ['frame'], amber: ['bearing_de'] });
    byNode.set('bearing_de', [alarm({ id: 'grown', condition: 'VIBRATION_DIAGNOSIS', source: 'diagnosis', severity: 'major' })]);
    expect(nodeColours(byNode, 'bearing_de')).toEqual({ red: ['bearing_de', 'frame'], amber: [] });
  });
  it('names bearing faults only', () => {
    expect(bearingFault({ diagnosis: { fault: 'outer_race', confidence: 0.8, evidence: '', peaks: [] } })).toMatch(/outer race/);
    expect(bearingFault({ diagnosis: { fault: 'unbalance', confidence: 0.8, evidence: '', peaks: [] } })).toBeNull();
    expect(bearingFault(null)).toBeNull();
  });
});
