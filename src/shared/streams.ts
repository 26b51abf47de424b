import { z } from 'zod';
import { events, type EventName, type EventOf, type TelemetryPoint } from './contract';
import { deviceIdSchema } from './protocol/schemas';

// The event streams a UI subscribes to: one per contract event, named after what it carries, narrowed to one
// motor or one serial port where the stream is about one. Both ends read this table: the engine sends a
// client only what it subscribed to, and the client hands each of its listeners only what it asked for (two
// components on one connection may follow one motor and all of them).

/** What a stream can be narrowed to: one motor (device id) or one serial port (its path). */
export type StreamFilter = { motor: string } | { port: string };

interface StreamSpec<E extends EventName> {
  /** What a filter may name for this stream; null: it is about the whole engine and has no filter. */
  by: 'motor' | 'port' | null;
  /** The motor or port an event is about (null: none in particular, so only an unfiltered subscriber gets it). */
  keyOf?: (data: EventOf<E>) => string | null;
  /**
   * For a stream of snapshots, a newer event with the same key makes an older one obsolete: a congested
   * connection may send only the newest. Streams without it (alarm transitions, command status, audit, chat,
   * console lines) are never dropped.
   */
  newestOf?: (data: EventOf<E>) => string;
}

const byId = (d: { id: string }) => d.id;
const byDevice = (d: { deviceId: string | null }) => d.deviceId;

export const STREAMS: { [E in EventName]: StreamSpec<E> } = {
  // Batches of points from many motors: narrowed point by point (see narrowEvent); coalesced per motor and reading.
  telemetry: { by: 'motor' },
  twin: { by: 'motor', keyOf: byId, newestOf: byId },
  twinRemoved: { by: 'motor', keyOf: byId },
  rejected: { by: null },
  status: { by: null, newestOf: () => 'status' },
  alarm: { by: 'motor', keyOf: (d) => d.alarm.motorId },
  health: { by: 'motor', keyOf: byId, newestOf: byId },
  waveformAnalysis: { by: 'motor', keyOf: byId, newestOf: byId },
  serialPorts: { by: null, newestOf: () => 'ports' },
  serialConsole: { by: 'port', keyOf: (d) => d.path },
  flashProgress: { by: 'port', keyOf: (d) => d.path, newestOf: (d) => d.jobId },
  command: { by: 'motor', keyOf: byDevice },
  setpoints: { by: 'motor', keyOf: byDevice, newestOf: (d) => d.deviceId },
  audit: { by: 'motor', keyOf: byDevice },
  chat: { by: 'motor', keyOf: (d) => d.motorId },
  manualImport: { by: null, newestOf: (d) => d.importId },
  benchRun: { by: 'motor', keyOf: byDevice, newestOf: (d) => d.runId },
  historyImport: { by: 'motor', keyOf: byDevice, newestOf: (d) => d.importId },
};

const streamFilterSchema = z.union([
  z.object({ motor: deviceIdSchema }).strict(),
  z.object({ port: z.string().min(1).max(512) }).strict(),
]);

/** A subscription as both ends check it: a stream of the contract and, where it has one, a filter of its kind. */
export const subscriptionSchema = z
  .object({
    stream: z.enum(Object.keys(events) as [EventName, ...EventName[]], { error: (i) => `stream: "${String(i.input)}" is not an event stream of the contract` }),
    filter: streamFilterSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (!s.filter) return;
    const by = STREAMS[s.stream].by;
    const asked = 'motor' in s.filter ? 'motor' : 'port';
    if (by !== asked) ctx.addIssue({ code: 'custom', path: ['filter'], message: by ? `${s.stream} is narrowed by ${by}, not by ${asked}` : `${s.stream} has no filter: it is about the whole engine` });
  });
export type Subscription = z.infer<typeof subscriptionSchema>;

/** One string per stream and filter: the same subscription made twice has the same key. */
export function subscriptionKey(s: { stream: string; filter?: StreamFilter }): string {
  const f = s.filter;
  return !f ? s.stream : 'motor' in f ? `${s.stream} motor ${f.motor}` : `${s.stream} port ${f.port}`;
}

/** The filter's motor or port. */
export const filterKey = (f: StreamFilter): string => ('motor' in f ? f.motor : f.port);

/** The part of an event that concerns `keys` (motors or ports), or null when none does. */
export function narrowEvent<E extends EventName>(stream: E, data: EventOf<E>, keys: ReadonlySet<string>): EventOf<E> | null {
  if (stream === 'telemetry') {
    const points = (data as TelemetryPoint[]).filter((p) => keys.has(p.id));
    return points.length ? (points as EventOf<E>) : null;
  }
  const key = STREAMS[stream].keyOf?.(data) ?? null;
  return key !== null && keys.has(key) ? data : null;
}
