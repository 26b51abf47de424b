import { describe, expect, it } from 'vitest';
import { EngineClient, type DroppedRecords } from './client';
import type { Channel } from './envelope';

// The UI's side of the contract: one record the schema refuses must not blank a whole list.

function twin(id: string) {
  return {
    id,
    name: id,
    source: 'mqtt',
    simulated: false,
    connection: 'online',
    lastSeen: 1,
    status: 'ok',
    statusReasons: [],
    readings: { temperature: { value: 40, ts: 1 } },
    device: { fw: null, board: null, calibrationId: null },
    nameplate: {},
    limits: {},
    counts: { received: 1, stored: 1, rejected: 0, duplicates: 0, missed: 0, shed: 0 },
  };
}

/** A channel whose engine answers every call with the given result. */
function engineAnswering(result: unknown): Channel {
  let listener: (m: unknown) => void = () => undefined;
  return {
    send: (m) => {
      const { id } = m as { id: number };
      queueMicrotask(() => listener({ kind: 'reply', id, ok: true, result }));
    },
    onMessage: (l) => {
      listener = l;
      return () => undefined;
    },
  };
}

describe('EngineClient list results', () => {
  it('keeps the good motors of a list with one bad record, and says which was dropped and why', async () => {
    const bad = '<img src=x onerror=alert(1)>';
    const client = new EngineClient(engineAnswering([twin('motor_01'), twin(bad), twin('motor_02')]));
    const dropped: DroppedRecords[] = [];
    client.onDropped((d) => dropped.push(d));
    const list = await client.call('twins.list', {});
    expect(list.map((t) => t.id)).toEqual(['motor_01', 'motor_02']);
    expect(dropped).toEqual([{ method: 'twins.list', records: [{ index: 1, id: bad, reason: expect.stringMatching(/^id: device_id must be 1-64 letters/) }] }]);
  });

  it('says so when a later load of the same list drops nothing', async () => {
    const client = new EngineClient(engineAnswering([twin('motor_01')]));
    const dropped: DroppedRecords[] = [];
    client.onDropped((d) => dropped.push(d));
    await client.call('twins.list', {});
    expect(dropped).toEqual([{ method: 'twins.list', records: [] }]);
  });

  it('names a dropped record by a short excerpt of a long id', async () => {
    const alarm = { id: 'x'.repeat(500), motorId: 'motor_01' };
    const client = new EngineClient(engineAnswering([alarm]));
    const dropped: DroppedRecords[] = [];
    client.onDropped((d) => dropped.push(d));
    expect(await client.call('alarms.list', {})).toEqual([]);
    expect(dropped[0].records[0].id).toHaveLength(65);
    expect(dropped[0].records[0].id?.endsWith('…')).toBe(true);
  });

  it('still fails a list that is not a list, and any result that is not a list', async () => {
    await expect(new EngineClient(engineAnswering({ not: 'a list' })).call('twins.list', {})).rejects.toThrow(/twins.list returned an invalid result/);
    await expect(new EngineClient(engineAnswering(twin('<b>'))).call('twins.get', { id: 'motor_01' })).rejects.toThrow(/twins.get returned an invalid result: id: device_id must be/);
  });
});
