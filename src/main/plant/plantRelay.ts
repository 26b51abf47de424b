import { callSchema, type Channel } from '../../shared/rpc/envelope';
import type { PlantLink } from './plantLink';
import type { PlantContract } from './plantClient';

// While the app shows the plant server, each of its connections is carried there: a call goes to the
// plant's engine over WSS and its reply and events come back unchanged (the app's client checks them as it
// checks its own engine's). Only the plant.* calls stay here: they are about the link itself.

export function relayToPlant(link: PlantLink, channel: Channel, answerHere: (raw: unknown) => void): () => void {
  let remote: PlantContract | null = null;
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
        problem = null;
        c.onMessage((m) => channel.send(m));
        c.onEnded(() => {
          remote = null;
          problem = link.status().problem ?? 'the connection to the plant server closed';
          // The app's client retries its calls; the next one finds the link again unless the session ended.
          if (!closed && link.showsPlant) setTimeout(connect, 2000).unref?.();
        });
        for (const m of waiting.splice(0)) c.send(m);
      },
      (e: Error) => {
        problem = e.message;
        for (const m of waiting.splice(0)) refuse(m, problem);
        if (!closed && link.showsPlant) setTimeout(connect, 5000).unref?.();
      },
    );
  };
  connect();

  const detach = channel.onMessage((raw) => {
    const method = (raw as { method?: unknown } | null)?.method;
    if (typeof method === 'string' && method.startsWith('plant.')) return answerHere(raw);
    if (remote) return remote.send(raw);
    if (problem) return refuse(raw, `the plant server is not reachable: ${problem}`);
    waiting.push(raw);
  });
  const close = () => {
    if (closed) return;
    closed = true;
    detach();
    remote?.close();
  };
  channel.onClose?.(close);
  return close;
}
