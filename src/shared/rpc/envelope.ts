import { z } from 'zod';

// The wire shapes of the contract: a call, its reply, an event. Any channel that can carry structured
// clones or JSON carries these.

export const callSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
});
export type CallMessage = z.infer<typeof callSchema>;

export const replySchema = z.union([
  z.object({ kind: z.literal('reply'), id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('reply'), id: z.number(), ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type ReplyMessage = z.infer<typeof replySchema>;

export const eventSchema = z.object({ kind: z.literal('event'), name: z.string(), data: z.unknown() });
export type EventMessage = z.infer<typeof eventSchema>;

/**
 * Starts or ends this connection's subscription to one event stream (see shared/streams.ts for what `stream`
 * and `filter` may be); answered with a reply like a call. The engine sends a connection only the events it
 * subscribed to.
 */
export const subscribeSchema = z.object({
  kind: z.enum(['subscribe', 'unsubscribe']),
  id: z.number().int().nonnegative(),
  stream: z.string().max(64),
  filter: z.unknown().optional(),
});
export type SubscribeMessage = z.infer<typeof subscribeSchema>;

export const serverMessageSchema = z.union([replySchema, eventSchema]);

/** Anything that carries messages both ways: a MessagePort, a WebSocket, an in-process pair. */
export interface Channel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
  onClose?(listener: () => void): () => void;
}

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}
