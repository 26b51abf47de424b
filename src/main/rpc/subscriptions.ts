import { z } from 'zod';
import type { EventName } from '../../shared/contract';
import { filterKey, narrowEvent, subscriptionSchema, type Subscription } from '../../shared/streams';
import type { SubscribeMessage } from '../../shared/rpc/envelope';
import { DomainError } from '../platform/domainError';
import type { Listener } from '../platform/eventBus';

/** The bus as a connection's subscriptions use it: listening while someone on the other end does. */
export interface EventSource {
  on<E extends EventName>(name: E, listener: Listener<E>): unknown;
  off<E extends EventName>(name: E, listener: Listener<E>): unknown;
}

/** What one connection asked to hear of one stream: all of it, or some motors or ports. */
interface Interest {
  all: boolean;
  keys: Set<string>;
  off: () => void;
}

/**
 * One connection's subscriptions: it listens on the bus only to streams the connection subscribed to, and
 * hands on only the part of each event its filters ask for. A stream nobody subscribed to costs nothing here.
 */
export class ChannelSubscriptions {
  private readonly interests = new Map<EventName, Interest>();

  constructor(
    private readonly source: EventSource,
    private readonly deliver: (name: EventName, data: unknown) => void,
  ) {}

  /** Applies a subscribe or unsubscribe message; throws an `invalid` DomainError with the reason for a bad one. */
  handle(msg: SubscribeMessage): Subscription {
    const parsed = subscriptionSchema.safeParse({ stream: msg.stream, filter: msg.filter });
    if (!parsed.success) throw new DomainError('invalid', `${msg.kind}: ${z.prettifyError(parsed.error)}`);
    if (msg.kind === 'subscribe') this.subscribe(parsed.data);
    else this.unsubscribe(parsed.data);
    return parsed.data;
  }

  /** The streams this connection hears (for tests and status). */
  streams(): EventName[] {
    return [...this.interests.keys()];
  }

  close(): void {
    for (const i of this.interests.values()) i.off();
    this.interests.clear();
  }

  private subscribe({ stream, filter }: Subscription): void {
    let interest = this.interests.get(stream);
    if (!interest) {
      const listener = (data: unknown) => this.heard(stream, data);
      this.source.on(stream, listener as never);
      interest = { all: false, keys: new Set(), off: () => this.source.off(stream, listener as never) };
      this.interests.set(stream, interest);
    }
    if (filter) interest.keys.add(filterKey(filter));
    else interest.all = true;
  }

  private unsubscribe({ stream, filter }: Subscription): void {
    const interest = this.interests.get(stream);
    if (!interest) return;
    if (filter) interest.keys.delete(filterKey(filter));
    else interest.all = false;
    if (interest.all || interest.keys.size) return;
    interest.off();
    this.interests.delete(stream);
  }

  private heard(stream: EventName, data: unknown): void {
    const interest = this.interests.get(stream);
    if (!interest) return;
    const part = interest.all ? data : narrowEvent(stream, data as never, interest.keys);
    if (part !== null) this.deliver(stream, part);
  }
}
