import { SUBSCRIPTIONS } from '../../shared/protocol/topics';
import type { EmbeddedBroker } from '../broker/embeddedBroker';
import { routeDeviceMessage, routeSubscriptions, type Ingest, type MessageGate, type MqttIngestState } from './mqttIngest';
import type { IngestPipeline } from './pipeline';

/**
 * Ingest from the app's own broker, in process: no client socket, no second parse of every packet.
 * The broker lives and dies with the engine, so there is no session to keep across restarts. aedes queues a
 * board's QoS 1 PUBACK and hands the message here in the same turn of the event loop (the PUBACK first), so
 * only a process that dies between the two loses an acknowledged message.
 */
export class EmbeddedIngest implements Ingest {
  readonly state: MqttIngestState = { connected: false, error: null, protocol: '3.1.1', note: null };
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly broker: EmbeddedBroker,
    private readonly pipeline: IngestPipeline,
    private readonly admit: MessageGate = () => true,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.broker.subscribe([...SUBSCRIPTIONS, ...routeSubscriptions(this.pipeline)], (m) => {
      if (this.admit(m)) routeDeviceMessage(this.pipeline, m.topic, m.payload);
    });
    this.state.connected = true;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.state.connected = false;
  }
}
