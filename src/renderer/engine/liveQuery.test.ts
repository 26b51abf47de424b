import { describe, expect, it } from 'vitest';
import type { FlashJob } from '../../shared/serialContract';
import { EngineClient } from '../../shared/rpc/client';
import type { Channel } from '../../shared/rpc/envelope';
import { LiveQuery, upsert, type QueryResult } from './liveQuery';

// The race every list has: the engine may send an event after the client asked for the list and before the
// answer arrives. The query subscribes first, keeps such events and applies them to the answer.

/** An engine at the other end of a channel, driven by the test: it answers calls and sends events when told. */
function scriptedEngine() {
  let deliver: (m: unknown) => void = () => undefined;
  const calls: { id: number; method: string; params: unknown }[] = [];
  const subscriptions: { kind: string; stream: string; filter?: unknown }[] = [];
  const channel: Channel = {
    // Subscriptions are not calls: kept apart, so a test counts calls by position.
    send: (m) => ((m as { kind: string }).kind === 'call' ? calls.push(m as (typeof calls)[number]) : subscriptions.push(m as (typeof subscriptions)[number])),
    onMessage: (l) => {
      deliver = l;
      return () => undefined;
    },
  };
  return {
    client: new EngineClient(channel),
    calls,
    subscriptions,
    answer: (i: number, result: unknown) => deliver({ kind: 'reply', id: calls[i].id, ok: true, result }),
    fail: (i: number, message: string) => deliver({ kind: 'reply', id: calls[i].id, ok: false, error: { code: 'busy', message } }),
    event: (name: string, data: unknown) => deliver({ kind: 'event', name, data }),
  };
}

/** A flash job at some percent: the engine's record of one, as the list and the events carry it. */
const job = (jobId: string, percent = 10): FlashJob => ({
  jobId,
  path: '/dev/ttyUSB0',
  phase: percent < 100 ? 'writing' : 'done',
  written: percent * 10,
  total: 1000,
  percent,
  chip: 'ESP32',
  md5: null,
  confirmedVersion: null,
  expectedVersion: null,
  message: '',
  error: null,
  startedAt: 1,
  finishedAt: null,
});

const settle = () => new Promise((r) => setTimeout(r, 0));

function follow(engine: ReturnType<typeof scriptedEngine>) {
  const seen: QueryResult<FlashJob[]>[] = [];
  const q = new LiveQuery(engine.client, { load: (c) => c.call('flash.jobs', {}), on: { flashProgress: (list, j) => upsert(list, j, (x) => x.jobId) } }, (r) => seen.push(r));
  return { q, seen };
}

describe('LiveQuery', () => {
  it('subscribes before it asks, and applies an event that came before the first answer to that answer', async () => {
    const engine = scriptedEngine();
    const { q } = follow(engine);
    expect(engine.calls.map((c) => c.method)).toEqual(['flash.jobs']);
    engine.event('flashProgress', job('r2'));
    await settle();
    expect(q.current).toMatchObject({ data: undefined, loading: true });
    engine.answer(0, [job('r1')]);
    await settle();
    expect(q.current.data?.map((r) => r.jobId)).toEqual(['r2', 'r1']);
    expect(q.current.loading).toBe(false);
  });

  it('applies the waiting events in order, so the last state of a job wins over the answer', async () => {
    const engine = scriptedEngine();
    const { q } = follow(engine);
    engine.event('flashProgress', job('r1', 50));
    engine.event('flashProgress', job('r1', 100));
    engine.answer(0, [job('r1', 50)]);
    await settle();
    expect(q.current.data).toEqual([job('r1', 100)]);
  });

  it('applies events after the answer as they come, and none after stop', async () => {
    const engine = scriptedEngine();
    const { q, seen } = follow(engine);
    engine.answer(0, []);
    await settle();
    engine.event('flashProgress', job('r1'));
    expect(q.current.data?.map((r) => r.jobId)).toEqual(['r1']);
    q.stop();
    engine.event('flashProgress', job('r2'));
    expect(q.current.data?.map((r) => r.jobId)).toEqual(['r1']);
    expect(seen.at(-1)?.data?.length).toBe(1);
  });

  it('keeps the value shown during a reload, changes it with events, and applies them to the new answer', async () => {
    const engine = scriptedEngine();
    const { q } = follow(engine);
    engine.answer(0, [job('r1')]);
    await settle();
    const reloaded = q.reload();
    expect(q.current).toMatchObject({ loading: true, data: [job('r1')] });
    engine.event('flashProgress', job('r3'));
    expect(q.current.data?.map((r) => r.jobId)).toEqual(['r3', 'r1']);
    engine.answer(1, [job('r1'), job('r2')]);
    await reloaded;
    expect(q.current.data?.map((r) => r.jobId)).toEqual(['r3', 'r1', 'r2']);
  });

  it('says why a load failed and keeps what it had', async () => {
    const engine = scriptedEngine();
    const { q } = follow(engine);
    engine.answer(0, [job('r1')]);
    await settle();
    const reloaded = q.reload();
    engine.fail(1, 'the engine is busy');
    await reloaded;
    expect(q.current).toEqual({ data: [job('r1')], error: 'the engine is busy', loading: false });
  });

  it('takes only the latest of two loads on their way', async () => {
    const engine = scriptedEngine();
    const { q } = follow(engine);
    void q.reload();
    engine.answer(1, [job('new')]);
    engine.answer(0, [job('old')]);
    await settle();
    expect(q.current.data?.map((r) => r.jobId)).toEqual(['new']);
  });

  it('subscribes to the streams it follows, before it asks', () => {
    const engine = scriptedEngine();
    follow(engine);
    expect(engine.subscriptions).toEqual([expect.objectContaining({ kind: 'subscribe', stream: 'flashProgress', filter: undefined })]);
  });
});

describe('LiveQuery subscriptions, as components share them', () => {
  const consoleOf = (engine: ReturnType<typeof scriptedEngine>, path: string, lines: string[][]) =>
    new LiveQuery(
      engine.client,
      { load: async () => [] as string[], filter: { port: path }, on: { serialConsole: (v, e) => [...v, ...e.lines.map((l) => l.text)], serialPorts: (v) => v } },
      (r) => lines.push(r.data ?? []),
    );

  it('shares one subscription per stream and filter between queries, ends it with the last, and narrows only streams of its kind', () => {
    const engine = scriptedEngine();
    const a: string[][] = [];
    const b: string[][] = [];
    const one = consoleOf(engine, '/dev/ttyUSB0', a);
    const two = consoleOf(engine, '/dev/ttyUSB0', b);
    // The port list is about every port: followed whole, once.
    expect(engine.subscriptions.map((s) => [s.kind, s.stream, s.filter])).toEqual([
      ['subscribe', 'serialConsole', { port: '/dev/ttyUSB0' }],
      ['subscribe', 'serialPorts', undefined],
    ]);
    one.stop();
    expect(engine.subscriptions).toHaveLength(2);
    two.stop();
    expect(engine.subscriptions.slice(2).map((s) => [s.kind, s.stream, s.filter])).toEqual([
      ['unsubscribe', 'serialConsole', { port: '/dev/ttyUSB0' }],
      ['unsubscribe', 'serialPorts', undefined],
    ]);
  });

  it("hands a query only its own port's lines when another follows the whole stream on the same connection", async () => {
    const engine = scriptedEngine();
    const mine: string[][] = [];
    const q = consoleOf(engine, '/dev/ttyUSB0', mine);
    const all: string[] = [];
    engine.client.on('serialConsole', (e) => all.push(e.path));
    await q.ready;
    const line = (text: string) => ({ seq: 1, ts: 1, dir: 'rx', text });
    engine.event('serialConsole', { path: '/dev/ttyUSB1', lines: [line('other')] });
    engine.event('serialConsole', { path: '/dev/ttyUSB0', lines: [line('mine')] });
    expect(all).toEqual(['/dev/ttyUSB1', '/dev/ttyUSB0']);
    expect(q.current.data).toEqual(['mine']);
  });
});
