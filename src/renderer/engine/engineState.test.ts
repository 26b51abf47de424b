import { describe, expect, it } from 'vitest';
import { EngineState, droppedText } from './engineState';

describe('records a list dropped', () => {
  const bad = { index: 1, id: '<img src=x onerror=alert(1)>', reason: 'id: device_id must be 1-64 letters, digits, "_", "-" or "."' };

  it('says which motor record was dropped and why', () => {
    expect(droppedText('twins.list', [bad])).toBe(`1 motor record was dropped: id "<img src=x onerror=alert(1)>": ${bad.reason}`);
    const many = [bad, { index: 4, id: null, reason: 'status: invalid' }, bad, bad];
    expect(droppedText('commands.list', many)).toMatch(/^4 command records were dropped: id "<img.*; #5: status: invalid; .*; and 1 more$/);
  });

  it('keeps the latest load per list: a clean reload clears its notice', () => {
    const state = new EngineState();
    state.putDropped({ method: 'twins.list', records: [bad] });
    state.putDropped({ method: 'alarms.list', records: [bad] });
    expect([...state.dropped.get().keys()]).toEqual(['twins.list', 'alarms.list']);
    state.putDropped({ method: 'twins.list', records: [] });
    expect([...state.dropped.get().keys()]).toEqual(['alarms.list']);
  });
});
