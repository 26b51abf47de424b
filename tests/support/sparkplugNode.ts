import mqtt, { type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import { decodeSparkplugPayload, encodeSparkplugPayload, type SparkplugPayload } from '../../src/main/sparkplug/codec';

type Metric = NonNullable<SparkplugPayload['metrics']>[number];

/**
 * A Sparkplug B edge node for tests, written with the same payload library: births, data and deaths with
 * seq and bdSeq as the specification has them, its NDEATH as the MQTT will, and the NCMDs it is sent.
 */
export class TestEdgeNode {
  /** Rebirth requests received (NCMD with Node Control/Rebirth = true). */
  readonly rebirthRequests: SparkplugPayload[] = [];
  private client: MqttClient | null = null;
  private seq = 0;

  constructor(
    private readonly url: string,
    readonly group: string,
    readonly node: string,
    private readonly bdSeq = 0,
    private readonly login: { username?: string; password?: string } = {},
  ) {}

  private topic(type: string, device?: string): string {
    return `spBv1.0/${this.group}/${type}/${this.node}${device === undefined ? '' : `/${device}`}`;
  }

  private death(): Buffer {
    return Buffer.from(encodeSparkplugPayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', type: 'UInt64', value: this.bdSeq }] }));
  }

  async connect(): Promise<void> {
    const client = await mqtt.connectAsync(this.url, {
      clientId: `edge-${this.node}-${Math.random().toString(16).slice(2, 8)}`,
      ...this.login,
      will: { topic: this.topic('NDEATH'), payload: this.death(), qos: 1, retain: false },
      reconnectPeriod: 0,
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic !== this.topic('NCMD')) return;
      const p = decodeSparkplugPayload(payload);
      if (p.metrics?.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) this.rebirthRequests.push(p);
    });
    await client.subscribeAsync(this.topic('NCMD'), { qos: 0 });
  }

  private async send(type: string, device: string | undefined, payload: SparkplugPayload): Promise<void> {
    if (!this.client) throw new Error('edge node not connected');
    await this.client.publishAsync(this.topic(type, device), Buffer.from(encodeSparkplugPayload(payload)), { qos: 0 });
  }

  /** The next seq, 0-255 and round again. */
  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) % 256;
    return s;
  }

  async nbirth(metrics: Metric[] = []): Promise<void> {
    this.seq = 0;
    const node: Metric[] = [{ name: 'bdSeq', type: 'UInt64', value: this.bdSeq }, { name: 'Node Control/Rebirth', type: 'Boolean', value: false }, ...metrics];
    await this.send('NBIRTH', undefined, { timestamp: Date.now(), seq: this.nextSeq(), metrics: node });
  }

  dbirth(device: string, metrics: Metric[]): Promise<void> {
    return this.send('DBIRTH', device, { timestamp: Date.now(), seq: this.nextSeq(), metrics });
  }

  ddata(device: string, metrics: Metric[]): Promise<void> {
    return this.send('DDATA', device, { timestamp: Date.now(), seq: this.nextSeq(), metrics });
  }

  ndata(metrics: Metric[]): Promise<void> {
    return this.send('NDATA', undefined, { timestamp: Date.now(), seq: this.nextSeq(), metrics });
  }

  ddeath(device: string): Promise<void> {
    return this.send('DDEATH', device, { timestamp: Date.now(), seq: this.nextSeq() });
  }

  /** A clean shutdown publishes the NDEATH itself, then disconnects (the broker then drops the will). */
  async ndeath(): Promise<void> {
    await this.client?.publishAsync(this.topic('NDEATH'), this.death(), { qos: 1 });
    await this.client?.endAsync();
    this.client = null;
  }

  /** Loses `n` messages, as QoS 0 over a flaky link would. */
  skip(n: number): void {
    this.seq = (this.seq + n) % 256;
  }

  /** Publishes raw bytes on one of this node's topics (bad payloads). */
  async raw(type: string, device: string | undefined, bytes: Uint8Array): Promise<void> {
    await this.client?.publishAsync(this.topic(type, device), Buffer.from(bytes), { qos: 0 });
  }

  /** The node's link dies without a DISCONNECT: the broker publishes its will (the NDEATH). */
  killSocket(): void {
    (this.client?.stream as Socket | undefined)?.destroy();
    this.client?.end(true);
    this.client = null;
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
    this.client = null;
  }
}
