import { z } from 'zod';
import { methods, type MethodName } from '../../shared/contract';
import { callSchema, RpcError, subscribeSchema, type Channel } from '../../shared/rpc/envelope';
import type { Engine } from '../engine';
import { handlers } from './handlers';
import type { Handler } from './handler';
import { wireError } from './errors';
import { DomainError } from '../platform/domainError';
import { relayToPlant } from '../plant/plantRelay';
import { LOCAL_USER, type Principal } from '../../shared/roles';
import { guardCall, recordCall, type Refusal } from './callGuard';
import { ChannelSubscriptions } from './subscriptions';

export interface CallerOptions {
  /** Who is on the other end (default: the local user, for the desktop app on its own engine). */
  principal?: Principal;
  /** Told of every call the role did not allow. */
  onRefused?: (r: Refusal) => void;
}

/**
 * Serves the contract to one UI over one channel: validates each call against the method's schema and
 * answers it, and sends the engine's events the UI subscribed to (and only those). Returns a function that
 * detaches the channel.
 */
export function serveChannel(engine: Engine, channel: Channel, caller: CallerOptions = {}): () => void {
  let local: ChannelService | null = null;
  const here = () => (local ??= new ChannelService(engine, channel, caller));
  // The app shows the plant server it logged in to: this connection is carried there.
  if (engine.plant.showsPlant) return relayToPlant(engine.plant, channel, { answerHere: (raw) => here().receive(raw), serveHere: () => here().attach() });
  return here().attach();
}

/** One connection served by this engine: its calls and its subscriptions. */
class ChannelService {
  private readonly subscriptions: ChannelSubscriptions;
  private detached = false;

  constructor(
    private readonly engine: Engine,
    private readonly channel: Channel,
    private readonly caller: CallerOptions,
  ) {
    this.subscriptions = new ChannelSubscriptions(engine, (name, data) => channel.send({ kind: 'event', name, data }));
  }

  /** Serves every message of the channel until it closes; returns the detach. */
  attach(): () => void {
    const detachMessages = this.channel.onMessage((raw) => this.receive(raw));
    const detach = () => {
      if (this.detached) return;
      this.detached = true;
      detachMessages();
      this.subscriptions.close();
    };
    this.channel.onClose?.(detach);
    return detach;
  }

  /**
   * One message from the UI. A subscription takes effect before the next message is read, so a UI that
   * subscribes and then loads hears every event after the state its answer holds.
   */
  receive(raw: unknown): void {
    if (this.detached) return;
    const sub = subscribeSchema.safeParse(raw);
    if (!sub.success) return void answer(this.engine, this.channel, raw, this.caller);
    const { id } = sub.data;
    try {
      const result = this.subscriptions.handle(sub.data);
      this.channel.send({ kind: 'reply', id, ok: true, result });
    } catch (e) {
      const err = wireError(e);
      this.channel.send({ kind: 'reply', id, ok: false, error: { code: err.code, message: err.message } });
    }
  }
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
    // What the call got wrong is only its answer; a failure of ours goes to the log as well.
    if (err.code === 'internal') engine.log.child({ part: 'rpc' }).error({ err: e, method }, `${method} failed`);
    channel.send({ kind: 'reply', id, ok: false, error: { code: err.code, message: err.message } });
  }
}
