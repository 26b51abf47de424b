import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { SUBSCRIPTIONS, parseTopic } from '../../shared/protocol/topics';
import { deviceIdProblem } from '../../shared/protocol/schemas';
import { parseJsonObject, payloadText, type MessageKind } from '../../shared/protocol/decode';
import type { IngestPipeline } from './pipeline';
import { withoutCredentials } from '../broker/urls';
import { ackWhenStored, StoredAcks, type RowWatermark } from './storedAcks';
import { silentLog, type Log } from '../platform/log';

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
  /** MQTT 5: how long the broker keeps our session (subscriptions, queued messages) while we are away. */
  sessionExpiryS?: number;
}

/** A day: a weekend's outage of the engine loses nothing; longer, the broker may free what it kept for us. */
export const DEFAULT_SESSION_EXPIRY_S = 86_400;
/**
 * Unacknowledged messages the broker may send us (MQTT 5's receive maximum, at its top). Acknowledgements wait
 * for the commit (ackWhenStored), up to a second; a client that does not state this gets the broker's own
 * limit instead (Mosquitto's max_inflight_messages: 20), which held ingest to 20 messages a commit.
 */
const RECEIVE_MAXIMUM = 65_535;

export interface MqttIngestState {
  connected: boolean;
  error: string | null;
  /** The MQTT version spoken with the broker (null until connected). */
  protocol?: '3.1.1' | '5' | null;
  /** Something a person should know about this connection (a fallback to 3.1.1). */
  note?: string | null;
}

/** One message as the broker delivered it, seen before it is routed (the inspector, the twin's broker). */
export interface DeliveredMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
  properties?: IPublishPacket['properties'];
}
/** Sees each message before it is routed; false keeps it from the pipeline (it was refused with a reason). */
export type MessageGate = (m: DeliveredMessage) => boolean;

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

/** A device topic read once: its device, its kind, and what is wrong with the device id (null when nothing). */
export interface DeviceTopic {
  deviceId: string;
  kind: MessageKind;
  idProblem: string | null;
}

/** Topics read so far; emptied when full, so a stream of made-up topics cannot grow it without end. */
const deviceTopics = new Map<string, DeviceTopic | null>();
const DEVICE_TOPICS_KEPT = 10_000;

/**
 * `parseTopic` and the device id's check, once per topic rather than once per message: a fleet sends on the
 * same few topics all day, and the gate and the router both read each message's topic.
 */
export function deviceTopic(topic: string): DeviceTopic | null {
  let known = deviceTopics.get(topic);
  if (known === undefined) {
    const parsed = parseTopic(topic);
    known = parsed ? { ...parsed, idProblem: deviceIdProblem(parsed.deviceId) } : null;
    if (deviceTopics.size >= DEVICE_TOPICS_KEPT) deviceTopics.clear();
    deviceTopics.set(topic, known);
  }
  return known;
}

/** Hands one MQTT message to its decoder (a topic route, else the pipeline), or rejects it when no one reads its topic. */
export function routeDeviceMessage(pipeline: IngestPipeline, topic: string, payload: Buffer): void {
  for (const r of topicRoutes.get(pipeline) ?? []) if (r.matches(topic)) return r.handle(topic, payload);
  const parsed = deviceTopic(topic);
  if (!parsed) {
    pipeline.reject(null, 'mqtt', topic, 'topic: not a MotorTwin device topic (factory/<device_id>/<kind>)', payload);
    return;
  }
  pipeline.ingest(parsed.kind, payload, parsed.deviceId, 'mqtt', topic);
}

/** How long to wait before logging in again after a broker refused the login. */
const LOGIN_RETRY_MS = 5_000;

const connackCode = (e: Error) => {
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'number' ? code : null;
};
/** 3.1.1's return code 1 or MQTT 5's 0x84: the broker does not speak the version we asked for. */
const isVersionRefusal = (e: Error) => connackCode(e) === 1 || connackCode(e) === 0x84;
/** CONNACK return codes 2-5 (MQTT 3.1.1) or reason codes 0x80-0x9f (MQTT 5): the broker answered and refused us. */
const isLoginRefusal = (e: Error) => {
  const code = connackCode(e);
  return code !== null && !isVersionRefusal(e) && ((code >= 2 && code <= 5) || (code >= 0x80 && code <= 0x9f));
};

/**
 * MQTT 5: an acknowledgement whose JSON names no command is matched by the correlation data its command
 * carried (the command id). Anything else is left as it came, for the decoder to judge.
 */
export function withCorrelationId(topic: string, payload: Buffer, correlationData: Buffer | undefined): Buffer {
  if (!correlationData?.length || parseTopic(topic)?.kind !== 'ack') return payload;
  const text = payloadText(payload);
  const json = text.ok ? parseJsonObject(text.value) : null;
  if (!json?.ok || (json.value.id !== undefined && json.value.id !== null)) return payload;
  return Buffer.from(JSON.stringify({ ...json.value, id: correlationData.toString('utf8') }));
}

export class MqttIngest implements Ingest {
  readonly state: MqttIngestState = { connected: false, error: null, protocol: null, note: null };
  private client: MqttClient | null = null;
  private acks: StoredAcks | null = null;
  private loginRetry: ReturnType<typeof setTimeout> | null = null;
  private firstConnect: (() => void) | null = null;

  constructor(
    private readonly conn: MqttConnection,
    private readonly pipeline: IngestPipeline,
    private readonly admit: MessageGate = () => true,
    /** The history writer: with it, a message is acknowledged once its row is stored (MQTT 5 only, see ackWhenStored). */
    private readonly stored: RowWatermark | null = null,
    /** Where a change of the link's state (a fallback to MQTT 3.1.1) is reported (default: nowhere). */
    private readonly log: Log = silentLog,
  ) {}

  get mqttClient(): MqttClient | null {
    return this.client;
  }

  /** Whether publishes carry MQTT 5 properties (message expiry, response topic, correlation data). */
  get speaksMqtt5(): boolean {
    return this.state.protocol === '5';
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.firstConnect = null;
        resolve();
      };
      // Start even when the broker is down: ingest connects when it comes up, and the UI shows why not yet.
      const timer = setTimeout(done, 5_000);
      this.firstConnect = done;
      this.open(5);
    });
  }

  private open(version: 4 | 5): void {
    const options: IClientOptions = {
      clientId: this.conn.clientId,
      clean: false,
      protocolVersion: version,
      // MQTT 5 ends a session at disconnect unless told otherwise: keep it, so nothing is lost while we are away.
      properties: version === 5 ? { sessionExpiryInterval: this.conn.sessionExpiryS ?? DEFAULT_SESSION_EXPIRY_S, receiveMaximum: RECEIVE_MAXIMUM } : undefined,
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
    this.acks?.close();
    this.acks = null;
    if (this.stored && version === 5) ackWhenStored(client, (this.acks = new StoredAcks(this.stored)));
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    client.on('connect', (ack) => {
      this.state.connected = true;
      this.state.error = null;
      this.state.protocol = version === 5 ? '5' : '3.1.1';
      // A resumed session keeps its subscriptions; subscribing again is harmless and covers a lost session.
      if (!ack.sessionPresent) client.subscribe([...SUBSCRIPTIONS], { qos: 1 });
      // Every time: a session kept from a version without these families lacks them.
      const routes = routeSubscriptions(this.pipeline);
      if (routes.length) client.subscribe(routes, { qos: 1 });
      this.firstConnect?.();
    });
    client.on('close', () => {
      if (this.client === client) this.state.connected = false;
    });
    client.on('error', (e) => {
      if (version === 5 && isVersionRefusal(e) && this.client === client) {
        // An MQTT 3.1.1 broker (aedes, an old Mosquitto): speak its version, and say what is lost with it.
        this.state.note = `${withoutCredentials(this.conn.url)} speaks MQTT 3.1.1 only: connected with 3.1.1, so commands carry no message expiry (a board must check expires_at itself) and user properties are not seen${this.stored ? '; messages are acknowledged on receipt, not once stored' : ''}`;
        this.log.warn({ url: withoutCredentials(this.conn.url) }, this.state.note);
        client.end(true);
        this.open(4);
        return;
      }
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
      if (this.client !== client) return;
      this.state.connected = false;
      this.state.error ??= `broker ${withoutCredentials(this.conn.url)} is unreachable; retrying`;
    });
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (!this.admit({ topic, payload, qos: packet.qos, retain: packet.retain, properties: packet.properties })) return;
    routeDeviceMessage(this.pipeline, topic, withCorrelationId(topic, payload, packet.properties?.correlationData));
  }

  /** `force` drops the connection without waiting (an instance that lost its ingest lease sends nothing more). */
  async stop(force = false): Promise<void> {
    if (this.loginRetry) clearTimeout(this.loginRetry);
    this.loginRetry = null;
    const c = this.client;
    this.client = null;
    this.state.connected = false;
    // Acknowledgements still held die with the connection: the broker sends those messages again.
    this.acks?.close();
    this.acks = null;
    if (c) await c.endAsync(force);
  }
}
