import type { EngineStatus, MethodName, RejectedMessage, TelemetryPoint } from '../../shared/contract';
import type { DroppedRecords } from '../../shared/rpc/client';
import type { DroppedRecord } from '../../shared/rpc/listResult';
import type { ReadingName } from '../../shared/readings';
import type { TwinSnapshot } from '../../shared/twin';
import type { EngineClient } from '../../shared/rpc/client';
import { LiveBuffer } from './liveBuffer';
import { feedStore, mapDelete, mapPut, upsert, type LiveQuery } from './liveQuery';
import { READ_NOT_WATCHED_MS, Store } from './store';

export type ConnectionPhase = 'connecting' | 'connected' | 'disconnected';

/** The most rejected messages the panel keeps; the engine keeps them all in DuckDB. */
const REJECTED_KEPT = 500;

/** A trend of the last minutes does not need redrawing at the frame rate: twice a second keeps ten cards cheap. */
export const TREND_REDRAW_MS = 500;

/** Everything the UI knows about the engine, fed by its events. */
export class EngineState {
  readonly connection = new Store<{ phase: ConnectionPhase; error: string | null }>({ phase: 'connecting', error: null });
  readonly twins = new Store<ReadonlyMap<string, TwinSnapshot>>(new Map());
  readonly status = new Store<EngineStatus | null>(null, { within: READ_NOT_WATCHED_MS });
  readonly rejected = new Store<readonly RejectedMessage[]>([], { within: READ_NOT_WATCHED_MS });
  readonly live = new LiveBuffer();
  /** Bumped whenever `live` changes, so charts can subscribe to it. */
  readonly liveVersion = new Store(0);
  /**
   * Bumped at most every TREND_REDRAW_MS while `live` changes, for the small trends (sparklines): they all
   * redraw in the same frame, and a card showing one does not render again for every telemetry batch.
   */
  readonly liveTrend = new Store(0);
  private trendTimer: ReturnType<typeof setTimeout> | null = null;
  /** Per list, the records its latest load left out because they failed validation. */
  readonly dropped = new Store<ReadonlyMap<MethodName, readonly DroppedRecord[]>>(new Map());

  putDropped({ method, records }: DroppedRecords): void {
    this.dropped.update((m) => {
      if (!records.length && !m.has(method)) return m;
      const next = new Map(m);
      if (records.length) next.set(method, records);
      else next.delete(method);
      return next;
    });
  }

  appendLive(points: TelemetryPoint[]): void {
    this.live.append(points);
    this.liveVersion.set(this.live.version);
    this.trendTimer ??= setTimeout(() => {
      this.trendTimer = null;
      this.liveTrend.set(this.live.version);
    }, TREND_REDRAW_MS);
  }

  /**
   * Follows the engine over a new connection: the twins, the engine's status and the rejected messages as
   * live queries, and the live buffer from telemetry (it keeps minutes of points, not one answer).
   */
  follow(client: EngineClient): { queries: LiveQuery<unknown>[]; stop: () => void } {
    const offs = [
      client.on('telemetry', (points) => this.appendLive(points)),
      client.on('twinRemoved', ({ id }) => this.live.forget(id)),
    ];
    const queries = [
      feedStore(client, this.twins, {
        load: async (c) => new Map((await c.call('twins.list', {})).map((t) => [t.id, t])),
        on: { twin: (m, t) => mapPut(m, t.id, t), twinRemoved: (m, { id }) => mapDelete(m, id), telemetry: withTelemetry },
      }),
      feedStore(client, this.status, { load: (c) => c.call('engine.status', {}), on: { status: (_, s) => s } }),
      feedStore(client, this.rejected, {
        load: (c) => c.call('rejected.list', { limit: REJECTED_KEPT }),
        on: { rejected: (list, r) => upsert(list, r, (x) => `${x.ts} ${x.topic} ${x.reason}`, REJECTED_KEPT) },
      }),
    ] as LiveQuery<unknown>[];
    return {
      queries,
      stop: () => {
        for (const off of offs) off();
        for (const q of queries) q.stop();
      },
    };
  }
}

/** Live points update the latest readings at once; the full twin snapshot follows less often. */
function withTelemetry(m: ReadonlyMap<string, TwinSnapshot>, points: TelemetryPoint[]): ReadonlyMap<string, TwinSnapshot> {
  let next: Map<string, TwinSnapshot> | null = null;
  for (const p of points) {
    const twin = (next ?? m).get(p.id);
    if (!twin) continue;
    const readings = { ...twin.readings };
    for (const [name, value] of Object.entries(p.values) as [ReadingName, number | null][]) {
      const current = readings[name];
      if (!current || current.ts <= p.ts) readings[name] = { value, ts: p.ts };
    }
    next ??= new Map(m);
    next.set(p.id, { ...twin, readings, lastSeen: Math.max(twin.lastSeen ?? 0, p.ts) });
  }
  return next ?? m;
}

const RECORD_NOUNS: Partial<Record<MethodName, string>> = { 'twins.list': 'motor', 'commands.list': 'command', 'alarms.list': 'alarm', 'rejected.list': 'rejected message' };

/** "1 motor record was dropped: id "m<1>": id: device_id must be …", naming up to three records. */
export function droppedText(method: MethodName, records: readonly DroppedRecord[]): string {
  const noun = RECORD_NOUNS[method] ?? method;
  const n = records.length;
  const named = records.slice(0, 3).map((r) => `${r.id === null ? `#${r.index + 1}` : `id ${JSON.stringify(r.id)}`}: ${r.reason}`);
  return `${n} ${noun} record${n === 1 ? ' was' : 's were'} dropped: ${named.join('; ')}${n > 3 ? `; and ${n - 3} more` : ''}`;
}
