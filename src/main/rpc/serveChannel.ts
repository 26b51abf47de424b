import { z } from 'zod';
import { events, methods, type EventName, type MethodName } from '../../shared/contract';
import { callSchema, RpcError, type Channel } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { handlers } from './handlers';
import type { Handler } from './handler';
import { wireError } from './errors';
import { DomainError } from '../platform/domainError';
import { relayToPlant } from '../plant/plantRelay';
import { LOCAL_USER, type Principal } from '../../shared/roles';
import { guardCall, recordCall, type Refusal } from './callGuard';

export interface CallerOptions {
  /** Who is on the other end (default: the local user, for the desktop app on its own engine). */
  principal?: Principal;
  /** Told of every call the role did not allow. */
  onRefused?: (r: Refusal) => void;
}

/**
 * Serves the contract to one UI over one channel: validates each call against the method's schema,
 * answers it, and forwards the engine's events. Returns a function that detaches the channel.
 */
export function serveChannel(engine: Engine, channel: Channel, caller: CallerOptions = {}): () => void {
  // The app shows the plant server it logged in to: this connection is carried there.
  if (engine.plant.showsPlant) return relayToPlant(engine.plant, channel, { answerHere: (raw) => void answer(engine, channel, raw, caller), serveHere: () => serveHere(engine, channel, caller) });
  return serveHere(engine, channel, caller);
}

function serveHere(engine: Engine, channel: Channel, caller: CallerOptions): () => void {
  const detachMessages = channel.onMessage((raw) => void answer(engine, channel, raw, caller));
  const forwarders = (Object.keys(events) as EventName[]).map((name) => {
    const listener = (data: unknown) => channel.send({ kind: 'event', name, data });
    engine.on(name, listener as never);
    return () => engine.off(name, listener as never);
  });
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    detachMessages();
    forwarders.forEach((off) => off());
  };
  channel.onClose?.(detach);
  return detach;
}

async function answer(engine: Engine, channel: Channel, raw: unknown, caller: CallerOptions): Promise<void> {
  const call = callSchema.safeParse(raw);
  if (!call.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    channel.send({ kind: 'reply', id, ok: false, error: { code: 'bad_request', message: `not a call: ${call.error.issues[0]?.message}` } });
    return;
  }
  const { id, method, params } = call.data;
  try {
    if (!Object.hasOwn(methods, method)) throw new RpcError('unknown_method', `unknown method "${method}"`);
    const m = method as MethodName;
    const principal = caller.principal ?? LOCAL_USER;
    const parsed = methods[m].params.safeParse(guardCall(engine, principal, m, params ?? {}, caller.onRefused));
    if (!parsed.success) throw new DomainError('invalid', `${method}: ${z.prettifyError(parsed.error)}`);
    // Parsed by the method's own schema, so these are that method's handler's parameters.
    const result = await (handlers[m] as Handler<MethodName>)(engine, parsed.data);
    recordCall(engine, principal, m, parsed.data, result);
    channel.send({ kind: 'reply', id, ok: true, result });
  } catch (e) {
    const err = wireError(e);
    channel.send({ kind: 'reply', id, ok: false, error: { code: err.code, message: err.message } });
  }
}
