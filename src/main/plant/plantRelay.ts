import { callSchema, type Channel } from '../../shared/rpc/envelope';
import type { PlantLink } from './plantLink';
import type { PlantContract } from './plantClient';

// While the app shows the plant server, each of its connections is carried there: a call goes to the
// plant's engine over WSS and its reply and events come back unchanged (the app's client checks them as it
// checks its own engine's). Only the plant.* calls stay here: they are about the link itself.

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

  const refuse = (raw: unknown, message: string) => {
    const id = callSchema.safeParse(raw).data?.id;
    if (id !== undefined) channel.send({ kind: 'reply', id, ok: false, error: { code: 'failed', message } });
  };

  const connect = () => {
    link.contract().then(
      (c) => {
        if (closed) return c.close();
        remote = c;
        everOpen = true;
        problem = null;
        c.onMessage((m) => channel.send(m));
        c.onEnded(() => {
          remote = null;
          problem = link.status().problem ?? 'the connection to the plant server closed';
          // The app's calls fail with the reason meanwhile; the link comes back unless the session ended.
          if (!closed && link.showsPlant) setTimeout(connect, RECONNECT_MS).unref?.();
        });
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
