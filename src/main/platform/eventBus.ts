import { EventEmitter } from 'node:events';
import type { EventName, EventOf } from '../../shared/contract';

/** The contract's events (what the UIs may hear), plus the engine's own internal signals. */
export type EngineEventMap = { [E in EventName]: EventOf<E> } & {
  /** The telemetry writer's storage error appeared or cleared: the status changes at once. */
  storageState: string | null;
};
export type BusEventName = keyof EngineEventMap;
export type Listener<E extends BusEventName> = (data: EngineEventMap[E]) => void;

/**
 * The one bus the engine's parts publish on and the outer layers (RPC, server, desktop shell) listen to.
 * A part is handed `emit` (or the bus) from the composition root; it never sees the engine.
 */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(200);

  emit<E extends BusEventName>(name: E, data: EngineEventMap[E]): void {
    this.emitter.emit(name, data);
  }

  on<E extends BusEventName>(name: E, listener: Listener<E>): this {
    this.emitter.on(name, listener);
    return this;
  }

  off<E extends BusEventName>(name: E, listener: Listener<E>): this {
    this.emitter.off(name, listener);
    return this;
  }

  /** Told when a listener is about to be added, before it counts: a part that works only while someone listens starts. */
  onListen(listener: (name: BusEventName) => void): this {
    this.emitter.on('newListener', listener);
    return this;
  }

  listenerCount(name: BusEventName): number {
    return this.emitter.listenerCount(name);
  }
}

/** The one function a part needs to publish: the bus's emit. */
export type Emit = <E extends BusEventName>(name: E, data: EngineEventMap[E]) => void;
