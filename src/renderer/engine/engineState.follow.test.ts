import { describe, expect, it } from 'vitest';
import { EngineClient } from '../../shared/rpc/client';
import type { Channel } from '../../shared/rpc/envelope';
import { EngineState } from './engineState';

// The fleet's list on a new connection: a motor that changes, appears or goes while twins.list is on its way
// is shown as it is after the answer, not as the answer had it.

function scriptedEngine() {
  let deliver: (m: unknown) => void = () => undefined;
  const calls: { id: number; method: string }[] = [];
  const channel: Channel = {
    send: (m) => calls.push(m as (typeof calls)[number]),
    onMessage: (l) => {
      deliver = l;
      return () => undefined;
    },
  };
  const answer = (method: string, result: unknown) => deliver({ kind: 'reply', id: calls.find((c) => c.method === method)!.id, ok: true, result });
  return { client: new EngineClient(channel), answer, event: (name: string, data: unknown) => deliver({ kind: 'event', name, data }) };
}

const twin = (id: string, connection: 'online' | 'offline', temperature = 40) => ({
  id,
  name: id,
  source: 'mqtt',
  simulated: false,
  connection,
  lastSeen: 1,
  status: 'ok',
  statusReasons: [],
  readings: { temperature: { value: temperature, ts: 1 } },
  device: { fw: null, board: null, calibrationId: null },
  nameplate: {},
  limits: {},
  counts: { received: 1, stored: 1, rejected: 0, duplicates: 0, missed: 0, shed: 0 },
});

describe('EngineState.follow', () => {
  it('applies twin, removal and telemetry events that came before the twins list to it', async () => {
    const engine = scriptedEngine();
    const state = new EngineState();
    const { queries } = state.follow(engine.client);
    engine.event('twin', twin('motor_01', 'offline'));
    engine.event('twin', twin('motor_03', 'online'));
    engine.event('twinRemoved', { id: 'motor_02' });
    engine.event('telemetry', [{ id: 'motor_01', ts: 2, values: { temperature: 71 } }]);
    engine.answer('twins.list', [twin('motor_01', 'online'), twin('motor_02', 'online')]);
    engine.answer('engine.status', null);
    engine.answer('rejected.list', []);
    await Promise.all(queries.map((q) => q.ready));
    const twins = state.twins.get();
    expect([...twins.keys()].sort()).toEqual(['motor_01', 'motor_03']);
    expect(twins.get('motor_01')).toMatchObject({ connection: 'offline', readings: { temperature: { value: 71, ts: 2 } } });
    expect(state.live.get('motor_01')?.t).toEqual([2]);
  });
});
