import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { SUBSCRIPTIONS, parseTopic } from '../../shared/protocol/topics';
import type { IngestPipeline } from './pipeline';
import { withoutCredentials } from '../broker/urls';

export interface MqttConnection {
  url: string;
  username?: string;
  password?: string;
  /** PEM files for mqtts:// and wss:// */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  /** Off only when a person chose it for this connection; the UI says so. */
  rejectUnauthorized?: boolean;
  clientId: string;
}

export interface MqttIngestState {
  connected: boolean;
  error: string | null;
}

/**
 * Subscribes to every device topic with QoS 1 in a persistent session (clean: false, stable client id),
 * so the broker keeps what arrives while we are away and redelivers it on reconnect.
 */
/** What the engine needs of any MQTT ingest: its state for the status bar, and a way to stop. */
export interface Ingest {
  readonly state: MqttIngestState;
  stop(): Promise<void>;
}

/** A decoder for a family of topics besides the device topics (Sparkplug B's spBv1.0/#). */
export interface TopicRoute {
  subscription: string;
  matches(topic: string): boolean;
  handle(topic: string, payload: Buffer): void;
}
// Kept per pipeline, so every ingest feeding it (one per broker) subscribes to and routes the same families.
const topicRoutes = new WeakMap<IngestPipeline, TopicRoute[]>();
export function addTopicRoute(pipeline: IngestPipeline, route: TopicRoute): void {
  topicRoutes.set(pipeline, [...(topicRoutes.get(pipeline) ?? []), route]);
}
export const routeSubscriptions = (pipeline: IngestPipeline): string[] => (topicRoutes.get(pipeline) ?? []).map((r) => r.subscription);

/** Hands one MQTT message to its decoder (a topic route, else the pipeline), or rejects it when no one reads its topic. */
export function routeDeviceMessage(pipeline: IngestPipeline, topic: string, payload: Buffer): void {
  for (const r of topicRoutes.get(pipeline) ?? []) if (r.matches(topic)) return r.handle(topic, payload);
  const parsed = parseTopic(topic);
  if (!parsed) {
    pipeline.reject(null, 'mqtt', topic, 'topic: not a MotorTwin device topic (factory/<device_id>/<kind>)', payload);
    return;
  }
  pipeline.ingest(parsed.kind, payload, parsed.deviceId, 'mqtt', topic);
}

/** How long to wait before logging in again after a broker refused the login. */
const LOGIN_RETRY_MS = 5_000;

/** CONNACK return codes 1-5 (MQTT 3.1.1): the broker answered and refused this client. */
const isLoginRefusal = (e: Error) => {
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'number' && code >= 1 && code <= 5;
};

export class MqttIngest implements Ingest {
  readonly state: MqttIngestState = { connected: false, error: null };
  private client: MqttClient | null = null;
  private loginRetry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly conn: MqttConnection,
    private readonly pipeline: IngestPipeline,
  ) {}

  get mqttClient(): MqttClient | null {
    return this.client;
  }

  async start(): Promise<void> {
    const options: IClientOptions = {
      clientId: this.conn.clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      username: this.conn.username,
      password: this.conn.password,
      rejectUnauthorized: this.conn.rejectUnauthorized ?? true,
      ca: this.conn.caFile ? readFileSync(this.conn.caFile) : undefined,
      cert: this.conn.certFile ? readFileSync(this.conn.certFile) : undefined,
      key: this.conn.keyFile ? readFileSync(this.conn.keyFile) : undefined,
    };
    const client = mqtt.connect(this.conn.url, options);
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', (ack) => {
      this.state.connected = true;
      this.state.error = null;
      // A resumed session keeps its subscriptions; subscribing again is harmless and covers a lost session.
      if (!ack.sessionPresent) client.subscribe([...SUBSCRIPTIONS], { qos: 1 });
      // Every time: a session kept from a version without these families lacks them.
      const routes = routeSubscriptions(this.pipeline);
      if (routes.length) client.subscribe(routes, { qos: 1 });
    });
    client.on('close', () => (this.state.connected = false));
    client.on('error', (e) => {
      this.state.error = `broker ${withoutCredentials(this.conn.url)}: ${e.message}`;
      // MQTT.js gives up for good once a broker refuses the login (a CONNACK return code; mqttjs/MQTT.js#1947),
      // yet the broker's accounts may be fixed any moment: try again, slowly.
      if (isLoginRefusal(e) && !this.loginRetry)
        this.loginRetry = setTimeout(() => {
          this.loginRetry = null;
          if (this.client === client && !client.connected) client.reconnect();
        }, LOGIN_RETRY_MS);
    });
    client.on('offline', () => {
      this.state.connected = false;
      this.state.error ??= `broker ${withoutCredentials(this.conn.url)} is unreachable; retrying`;
    });
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // Start even when the broker is down: ingest connects when it comes up, and the UI shows why not yet.
      const timer = setTimeout(done, 5_000);
      client.once('connect', done);
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    routeDeviceMessage(this.pipeline, topic, payload);
  }

  async stop(): Promise<void> {
    if (this.loginRetry) clearTimeout(this.loginRetry);
    this.loginRetry = null;
    const c = this.client;
    this.client = null;
    if (c) await c.endAsync();
  }
}
