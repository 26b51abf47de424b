import { callSchema, subscribeSchema, type Channel } from '../../shared/rpc/envelope';
import { subscriptionKey, type StreamFilter } from '../../shared/streams';
import type { PlantLink } from './plantLink';
import type { PlantContract } from './plantClient';

// While the app shows the plant server, each of its connections is carried there: a call goes to the
// plant's engine over WSS and its reply and events come back unchanged (the app's client checks them as it
// checks its own engine's). Only the plant.* calls stay here: they are about the link itself. The app's
// subscriptions are kept here too, and made again on the plant when the link comes back.

export interface LocalService {
  /** Answers one call with this engine (the plant.* calls). */
  answerHere(raw: unknown): void;
  /** Serves the whole connection with this engine; returns its detach. */
  serveHere(): () => void;
}

const RECONNECT_MS = 2000;

export function relayToPlant(link: PlantLink, channel: Channel, local: LocalService): () => void {
  let remote: PlantContract | null = null;
  let detachLocal: (() => void) | null = null;
  let everOpen = false;
  let closed = false;
  let problem: string | null = null;
  const waiting: unknown[] = [];
  const subscribed = new Map<string, { stream: string; filter?: unknown }>();
  /** Ids of subscriptions made again on a new link: their replies are this relay's, not the app's. */
  const renewals = new Set<number>();
  let renewalId = Number.MAX_SAFE_INTEGER;

  const refuse = (raw: unknown, message: string) => {
    const id = callSchema.safeParse(raw).data?.id;
    if (id !== undefined) channel.send({ kind: 'reply', id, ok: false, error: { code: 'failed', message } });
  };

  const connect = () => {
    link.contract().then(
      (c) => {
        if (closed) return c.close();
        const reopened = everOpen;
        remote = c;
        everOpen = true;
        problem = null;
        c.onMessage((m) => {
          const id = (m as { id?: unknown } | null)?.id;
          if (typeof id === 'number' && renewals.delete(id)) return;
          channel.send(m);
        });
        c.onEnded(() => {
          remote = null;
          problem = link.status().problem ?? 'the connection to the plant server closed';
          // The app's calls fail with the reason meanwhile; the link comes back unless the session ended.
          if (!closed && link.showsPlant) setTimeout(connect, RECONNECT_MS).unref?.();
        });
        if (reopened) {
          for (const s of subscribed.values()) {
            renewals.add(renewalId);
            c.send({ kind: 'subscribe', id: renewalId--, ...s });
          }
        }
        for (const m of waiting.splice(0)) c.send(m);
      },
      (e: Error) => {
        if (closed) return;
        if (!everOpen) {
          // Never reached: this laptop's engine serves the app, and the link says why.
          link.fellBack(e.message);
          detachRelay();
          detachLocal = local.serveHere();
          for (const m of waiting.splice(0)) local.answerHere(m);
          return;
        }
        problem = e.message;
        if (link.showsPlant) setTimeout(connect, RECONNECT_MS).unref?.();
      },
    );
  };

  const detachRelay = channel.onMessage((raw) => {
    const method = (raw as { method?: unknown } | null)?.method;
    if (typeof method === 'string' && method.startsWith('plant.')) return local.answerHere(raw);
    const sub = subscribeSchema.safeParse(raw);
    if (sub.success) {
      const key = subscriptionKey({ stream: sub.data.stream, filter: sub.data.filter as StreamFilter | undefined });
      if (sub.data.kind === 'subscribe') subscribed.set(key, { stream: sub.data.stream, filter: sub.data.filter });
      else subscribed.delete(key);
    }
    if (remote) return remote.send(raw);
    if (problem) return refuse(raw, `the plant server is not reachable: ${problem}`);
    waiting.push(raw);
  });
  connect();

  const close = () => {
    if (closed) return;
    closed = true;
    detachRelay();
    detachLocal?.();
    remote?.close();
  };
  channel.onClose?.(close);
  return close;
}
