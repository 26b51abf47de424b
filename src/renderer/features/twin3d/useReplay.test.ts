import { describe, expect, it } from 'vitest';
import { replayAt, type ReplayData } from './useReplay';

describe('replay', () => {
  it('gives the values and the alarms active at a moment', () => {
    const tr = (alarmId: string, ts: number, to: 'active_unacked' | 'cleared_unacked') => ({ alarmId, motorId: 'm', ts, action: 'raise' as const, from: null, to, comment: null, message: alarmId });
    const d: ReplayData = {
      from: 0,
      to: 300,
      t: [0, 100, 200],
      series: { temperature: [40, 60, null] },
      transitions: [tr('hot', 50, 'active_unacked'), tr('hot', 150, 'cleared_unacked'), tr('vib', 120, 'active_unacked')],
    };
    expect(replayAt(d, 0)).toMatchObject({ ts: 0, values: { temperature: 40, vib_velocity: null }, active: [] });
    expect(replayAt(d, 1).active.map((a) => a.alarmId)).toEqual(['hot']);
    expect(replayAt(d, 2).active.map((a) => a.alarmId)).toEqual(['vib']);
    expect(replayAt(d, 2).values.temperature).toBeNull();
  });
});
