import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { BrokerStatus, PortTakenChoice } from '../../shared/brokerContract';
import { topicFor } from '../../shared/protocol/topics';
import { EmbeddedIngest } from '../ingest/embeddedIngest';
import { MqttIngest, deviceTopic, type DeliveredMessage, type MqttConnection } from '../ingest/mqttIngest';
import type { IngestPipeline } from '../ingest/pipeline';
import { MessageLog } from '../ingest/messageLog';
import type { RowWatermark } from '../ingest/storedAcks';
import { PortTakenError, startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from './embeddedBroker';
import { isMqttBroker, rememberedChoice } from './foundBroker';
import type { Log } from '../platform/log';
import { withoutCredentials } from './urls';

export type EmbeddedBrokerConfig = { mode: 'embedded' } & EmbeddedBrokerOptions & {
  /** When its port is taken by another program: move to a free port, or use the broker found there. */
  whenPortTaken?: PortTakenChoice;
};
export type ExternalBrokerConfig = { mode: 'external' } & Omit<MqttConnection, 'clientId'> & { clientId?: string };
export type BrokerConfig = EmbeddedBrokerConfig | ExternalBrokerConfig;

/** One broker the engine is on, as it runs (a found broker in use is an external one). */
interface Link {
  readonly id: string;
  readonly config: BrokerConfig;
  readonly embedded: EmbeddedBroker | null;
  readonly ingest: EmbeddedIngest | MqttIngest;
  readonly note: string | null;
  readonly foundBroker: BrokerStatus['foundBroker'];
}

export interface BrokerLinksDeps {
  pipeline: IngestPipeline;
  dataDir: string;
  /** The stable MQTT client id, so each external broker resumes our persistent session. */
  clientId: string;
  /** The history writer: external brokers' messages are acknowledged once stored (MQTT 5). */
  stored?: RowWatermark;
  /** External brokers' ingest waits for resumeIngest() (the instance holds the ingest lease). */
  ingestOnLease?: boolean;
  log: Log;
}

/** A device heard on another broker within this time is a second board with the same id, not a move. */
const SAME_DEVICE_WINDOW_MS = 60_000;
/** A board retrying MQTT 5 every second is one entry in the Rejected list a minute, not sixty. */
const REFUSAL_REPEAT_MS = 60_000;

/**
 * Every broker the engine is on at once (the embedded one, the plant's, the bench's), each with its own
 * TLS settings and status. A device belongs to the broker it was heard on, and commands go back over it.
 */
export class BrokerLinks {
  readonly links: Link[] = [];
  /** The last messages per twin, for the inspector. */
  readonly messages = new MessageLog();
  /** Per device, the id of the broker it was last heard on, and when. */
  private readonly deviceLink = new Map<string, { id: string; at: number }>();
  private readonly refusals = new Map<string, { at: number; reason: string }>();
  /** Per Sparkplug edge node (group/node), the broker it was last heard on: its commands go back there. */
  private readonly sparkplugNodeLink = new Map<string, string>();

  constructor(
    private readonly configs: readonly BrokerConfig[],
    private readonly deps: BrokerLinksDeps,
  ) {
    if (!configs.length) throw new Error('the engine needs at least one broker');
  }

  async start(): Promise<void> {
    for (const c of this.configs) {
      if (c.mode === 'external' && this.links.some((l) => l.id === endpointOf(c.url))) throw new Error(`broker ${endpointOf(c.url)} is listed twice`);
      const link = c.mode === 'embedded' ? await this.startEmbedded(c) : await this.startExternal(c, null, null);
      if (link) this.links.push(link);
    }
  }

  /** The first broker: simulated motors and "Add a board" use it. */
  get primary(): Link {
    return this.links[0];
  }

  get embedded(): EmbeddedBroker | null {
    return this.links.find((l) => l.embedded)?.embedded ?? null;
  }

  /** The broker a device was last heard on; null when it has not been heard yet and there is a choice. */
  linkOf(deviceId: string): Link | null {
    const bound = this.deviceLink.get(deviceId);
    return (bound && this.links.find((l) => l.id === bound.id)) || (this.links.length === 1 ? this.links[0] : null);
  }

  /**
   * QoS 1 over the broker the topic's device was heard on. A command (MQTT 5) carries a message expiry
   * that ends when the command does, so a broker never hands a stale command to a board that comes back
   * late, and asks for its acknowledgement on factory/<id>/commands/ack with the command id as correlation
   * data. A command is not queued in this process while its broker is down: it fails now, with the reason.
   */
  async publish(topic: string, payload: string, command?: { id: string; expiresAt: string }): Promise<void> {
    const deviceId = topic.split('/')[1] ?? '';
    const link = this.linkOf(deviceId) ?? (command ? null : this.primary);
    if (!link) throw new Error(`${deviceId} has not been heard on any of the ${this.links.length} brokers since the engine started: no telling which one reaches it`);
    if (link.embedded) return link.embedded.publish(topic, payload, 1);
    const client = link.ingest instanceof MqttIngest ? link.ingest.mqttClient : null;
    if (!client?.connected) throw new Error(`not connected to ${link.id}${link.ingest.state.error ? ` (${link.ingest.state.error})` : ''}`);
    const properties = command
      ? {
          messageExpiryInterval: Math.max(1, Math.ceil((Date.parse(command.expiresAt) - Date.now()) / 1000)),
          responseTopic: topicFor(deviceId, 'commands/ack'),
          correlationData: Buffer.from(command.id),
        }
      : undefined;
    // An MQTT 3.1.1 connection leaves the properties out (the status says so); the board checks expires_at.
    await client.publishAsync(topic, payload, { qos: 1, properties });
  }

  /**
   * A Sparkplug command (a rebirth request) at QoS 0, as Sparkplug's commands are, over the broker its edge
   * node was heard on; a node not heard yet is asked on every broker (one without that node delivers to
   * no one).
   */
  async publishSparkplug(topic: string, payload: Uint8Array): Promise<void> {
    const node = sparkplugNodeOf(topic);
    const bound = node === null ? undefined : this.sparkplugNodeLink.get(node);
    const targets = this.links.filter((l) => bound === undefined || l.id === bound);
    const sent: Array<Promise<unknown>> = [];
    for (const l of targets) {
      if (l.embedded) sent.push(l.embedded.publish(topic, payload, 0));
      else if (l.ingest instanceof MqttIngest && l.ingest.mqttClient?.connected) sent.push(l.ingest.mqttClient.publishAsync(topic, Buffer.from(payload), { qos: 0 }));
    }
    if (!sent.length) throw new Error(bound === undefined ? 'no broker is connected' : `not connected to ${bound}, where ${node} is heard`);
    await Promise.all(sent);
  }

  /**
   * Where the engine's own MQTT clients connect. A simulated board (deviceId given) gets a per-run account
   * of the embedded broker that may use only its own topics: it needs no shared password, and board
   * accounts alone (--mqtt-devices) do not lock it out.
   */
  forClients(deviceId?: string): { url: string; username?: string; password?: string; ca?: string | Buffer } {
    const { config: b, embedded } = this.primary;
    if (b.mode === 'embedded') {
      const host = b.host === '0.0.0.0' || b.host === '::' ? '127.0.0.1' : b.host;
      const account = (deviceId !== undefined && embedded?.internalAccount(deviceId)) || { username: b.username, password: b.password };
      return { url: `${b.tls ? 'mqtts' : 'mqtt'}://${host}:${embedded?.port ?? b.port}`, ...account, ca: b.tls?.cert };
    }
    return { url: b.url, username: b.username, password: b.password };
  }

  /** The MQTT client of the first external broker (null when there is none). */
  mqttClient(): MqttClient | null {
    for (const l of this.links) if (l.ingest instanceof MqttIngest) return l.ingest.mqttClient;
    return null;
  }

  status(): BrokerStatus[] {
    return this.links.map((l) => {
      const refusal = l.embedded ? [...this.refusals.values()].sort((a, b) => b.at - a.at)[0]?.reason : undefined;
      const note = [l.note, l.ingest.state.note, refusal].filter(Boolean).join('; ');
      const c = l.config;
      return {
        id: l.id,
        mode: c.mode,
        url: l.embedded ? l.embedded.url : withoutCredentials(c.mode === 'external' ? c.url : ''),
        connected: l.ingest.state.connected,
        clients: l.embedded?.clients() ?? null,
        error: l.ingest.state.error,
        // The person turned certificate checks off for this connection: the status bar keeps saying so.
        tlsUnverified: c.mode === 'external' && c.rejectUnauthorized === false && /^(mqtts|wss|ssl):/i.test(c.url),
        protocol: l.ingest.state.protocol ?? null,
        note: note || null,
        foundBroker: l.foundBroker,
      };
    });
  }

  async stopIngest(): Promise<void> {
    for (const l of this.links) await l.ingest.stop();
  }

  /** This instance took the ingest lease: external brokers' ingest starts (resuming the persistent sessions). */
  async resumeIngest(): Promise<void> {
    for (const l of this.links) if (l.ingest instanceof MqttIngest && !l.ingest.mqttClient) await l.ingest.start();
  }

  /** The ingest lease is lost: drop the external connections at once, so another instance can resume their sessions. */
  async pauseIngest(): Promise<void> {
    await Promise.all(this.links.map((l) => (l.ingest instanceof MqttIngest ? l.ingest.stop(true) : undefined)));
  }

  async closeBrokers(): Promise<void> {
    for (const l of this.links) await l.embedded?.close();
  }

  private async startEmbedded(c: EmbeddedBrokerConfig): Promise<Link | null> {
    const start = (port: number) => startEmbeddedBroker({ ...c, port, onRefused: (address, reason) => this.refused(address, reason), log: this.deps.log });
    try {
      return await this.embeddedLink(c, await start(c.port), null, null);
    } catch (e) {
      if (!(e instanceof PortTakenError) || c.port === 0) throw e;
    }
    // Often a Mosquitto the engineer already runs on 1883: use it, or step aside to a free port, and say which.
    const host = c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
    const isMqtt = await isMqttBroker(host, c.port);
    const remembered = c.whenPortTaken ? null : rememberedChoice(this.deps.dataDir, this.deps.log);
    const choice = c.whenPortTaken ?? remembered ?? 'move';
    const why = c.whenPortTaken ? '--use-found-broker' : remembered ? 'the remembered choice' : 'the default';
    if (isMqtt && choice === 'use') {
      const found = { host, port: c.port, action: 'used' as const };
      const note = `port ${c.port} was taken by an MQTT broker: MotorTwin uses it instead of starting its own (${why})`;
      const url = `mqtt://${host.includes(':') ? `[${host}]` : host}:${c.port}`;
      const same = this.links.find((l) => l.config.mode === 'external' && sameEndpoint(l.config.url, url));
      if (same) {
        this.deps.log.info(`${note}; it is already on the list as ${same.id}`);
        return null;
      }
      this.deps.log.info(note);
      return this.startExternal({ mode: 'external', url, username: c.username, password: c.password }, note, found);
    }
    const moved = await start(0);
    const taker = isMqtt ? 'another MQTT broker' : 'a program that does not speak MQTT';
    const note = `port ${c.port} on ${c.host} was taken by ${taker}: the embedded broker moved to port ${moved.port}${isMqtt ? ' (--use-found-broker uses that broker instead)' : ''}`;
    this.deps.log.warn(note);
    return this.embeddedLink(c, moved, note, isMqtt ? { host, port: c.port, action: 'moved' } : null);
  }

  private async embeddedLink(config: EmbeddedBrokerConfig, broker: EmbeddedBroker, note: string | null, foundBroker: Link['foundBroker']): Promise<Link> {
    const ingest = new EmbeddedIngest(broker, this.deps.pipeline, (m) => this.admit('embedded', m));
    try {
      await ingest.start();
    } catch (e) {
      await broker.close();
      throw e;
    }
    return { id: 'embedded', config, embedded: broker, ingest, note, foundBroker };
  }

  private async startExternal(c: ExternalBrokerConfig, note: string | null, foundBroker: Link['foundBroker']): Promise<Link> {
    const id = endpointOf(c.url);
    // The first external broker keeps the client id it always had (its persistent session); others get their own.
    const others = this.links.filter((l) => l.config.mode === 'external').length;
    const clientId = c.clientId ?? (others ? `${this.deps.clientId}-${createHash('sha1').update(id).digest('hex').slice(0, 6)}` : this.deps.clientId);
    const ingest = new MqttIngest({ ...c, clientId }, this.deps.pipeline, (m) => this.admit(id, m), this.deps.stored ?? null, this.deps.log);
    if (!this.deps.ingestOnLease) await ingest.start();
    return { id, config: c, embedded: null, ingest, note, foundBroker };
  }

  /**
   * Binds a device to the broker it is heard on and keeps the last messages for the inspector. The same id
   * live on two brokers is two boards claiming one motor: the second is refused until the first falls silent.
   */
  private admit(brokerId: string, m: DeliveredMessage): boolean {
    const node = sparkplugNodeOf(m.topic);
    if (node !== null) {
      // Bounded like the Sparkplug host's sessions: a flood of made-up node names cannot grow it without end.
      if (!this.sparkplugNodeLink.has(node) && this.sparkplugNodeLink.size >= MAX_SPARKPLUG_NODES) this.sparkplugNodeLink.delete(this.sparkplugNodeLink.keys().next().value!);
      this.sparkplugNodeLink.set(node, brokerId);
      return true;
    }
    const topic = deviceTopic(m.topic);
    if (!topic || topic.idProblem) return true;
    const deviceId = topic.deviceId;
    const now = Date.now();
    const bound = this.deviceLink.get(deviceId);
    if (bound && bound.id !== brokerId && now - bound.at < SAME_DEVICE_WINDOW_MS) {
      this.deps.pipeline.reject(deviceId, 'mqtt', m.topic, `broker: ${deviceId} is live on ${bound.id}; the same id on ${brokerId} is refused (two boards with one id?)`, m.payload);
      return false;
    }
    // Updated in place: one entry per device, not an object per message.
    if (bound) {
      bound.id = brokerId;
      bound.at = now;
    } else this.deviceLink.set(deviceId, { id: brokerId, at: now });
    const p = m.properties;
    this.messages.record(deviceId, {
      ts: now,
      broker: brokerId,
      topic: m.topic,
      qos: m.qos,
      retain: m.retain,
      userProperties: p?.userProperties ?? null,
      correlationData: p?.correlationData ? p.correlationData.toString('utf8') : null,
      responseTopic: p?.responseTopic ?? null,
      bytes: m.payload.length,
      payload: m.payload,
    });
    return true;
  }

  /** A client the embedded broker turned away before its login: in the log, the Rejected list and the status. */
  private refused(address: string, reason: string): void {
    const now = Date.now();
    const last = this.refusals.get(address);
    this.refusals.set(address, { at: now, reason });
    if (last && now - last.at < REFUSAL_REPEAT_MS) return;
    this.deps.log.warn({ address }, reason);
    this.deps.pipeline.reject(null, 'mqtt', `CONNECT from ${address}`, reason, '');
  }
}

const MAX_SPARKPLUG_NODES = 10_000;

/** `group/node` of a Sparkplug B topic (spBv1.0/<group>/<type>/<node>[/<device>]), null for any other topic. */
function sparkplugNodeOf(topic: string): string | null {
  if (!topic.startsWith('spBv1.0/')) return null;
  const parts = topic.split('/');
  return parts.length >= 4 ? `${parts[1]}/${parts[3]}` : null;
}

/** host:port of a broker URL, the name a broker goes by in the status bar and the inspector. */
function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port || { 'mqtt:': '1883', 'tcp:': '1883', 'mqtts:': '8883', 'ssl:': '8883', 'ws:': '80', 'wss:': '443' }[u.protocol] || '';
    return `${u.hostname}:${port}`;
  } catch {
    // Not a URL we can parse: shown as given, less any credentials.
    return withoutCredentials(url);
  }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
function sameEndpoint(a: string, b: string): boolean {
  const [ha, pa] = splitEndpoint(endpointOf(a));
  const [hb, pb] = splitEndpoint(endpointOf(b));
  return pa === pb && (ha === hb || (LOOPBACK_NAMES.has(ha) && LOOPBACK_NAMES.has(hb)));
}
const splitEndpoint = (e: string) => [e.slice(0, e.lastIndexOf(':')), e.slice(e.lastIndexOf(':') + 1)];
