import mqtt, { type MqttClient } from 'mqtt';
import type { SimFault } from '../../shared/contract';
import { decodeCommand } from '../../shared/protocol/decode';
import { topicFor } from '../../shared/protocol/topics';
import { MotorModel } from './motorModel';

export interface SimulatedMotorOptions {
  id: string;
  brokerUrl: string;
  username?: string;
  password?: string;
  rateHz?: number;
  fault?: SimFault | null;
  /** Simulated seconds per real second: compresses thermal and fault growth for tests and demos. */
  speedup?: number;
}

const FW = 'sim-1.0.0';

/**
 * A simulated sensor board: publishes telemetry over MQTT exactly as a real board (PROTOCOL.md),
 * keeps a retained status with a last will, and obeys and acknowledges commands.
 */
export class SimulatedMotor {
  readonly model = new MotorModel();
  private client: MqttClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private seq = 0;
  private rateHz: number;
  private lastStep = Date.now();
  /** Like a board's millis(): lets the engine tell a restart (seq from 0) from a resend. */
  private readonly bootedAt = Date.now();
  published = 0;

  constructor(private readonly opts: SimulatedMotorOptions) {
    this.rateHz = opts.rateHz ?? 2;
    this.model.setFault(opts.fault ?? null);
  }

  get id(): string {
    return this.opts.id;
  }

  get fault(): SimFault | null {
    return this.model.fault;
  }

  get rate(): number {
    return this.rateHz;
  }

  async start(): Promise<void> {
    const status = (state: 'online' | 'offline') => JSON.stringify({ device_id: this.id, state, fw: FW, board: 'simulator' });
    const client = mqtt.connect(this.opts.brokerUrl, {
      clientId: `motortwin-sim-${this.id}`,
      username: this.opts.username,
      password: this.opts.password,
      reconnectPeriod: 1000,
      will: { topic: topicFor(this.id, 'status'), payload: Buffer.from(status('offline')), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      client.publish(topicFor(this.id, 'status'), status('online'), { qos: 1, retain: true });
      client.subscribe(topicFor(this.id, 'commands'), { qos: 1 });
    });
    client.on('message', (_topic, payload) => this.onCommand(payload.toString('utf8')));
    client.on('error', () => undefined);
    this.schedule();
  }

  setFault(fault: SimFault | null): void {
    this.model.setFault(fault);
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 1000 / this.rateHz);
  }

  private tick(): void {
    const now = Date.now();
    const dt = ((now - this.lastStep) / 1000) * (this.opts.speedup ?? 1);
    this.lastStep = now;
    const readings = this.model.step(dt);
    const seq = this.seq++;
    let payload = JSON.stringify({ device_id: this.id, timestamp: new Date(now).toISOString(), seq, uptime_s: Math.round((now - this.bootedAt) / 100) / 10, ...readings });
    if (this.model.fault === 'malformed' && seq % 5 === 4) payload = MALFORMED[seq % MALFORMED.length].replace('$ID', this.id);
    this.client?.publish(topicFor(this.id, 'telemetry'), payload, { qos: 1 });
    this.published++;
  }

  private onCommand(text: string): void {
    const decoded = decodeCommand(text);
    const id = (() => {
      try {
        const v = JSON.parse(text).id;
        return typeof v === 'string' ? v : null;
      } catch {
        return null;
      }
    })();
    const ack = (status: string, detail: string) => this.client?.publish(topicFor(this.id, 'commands/ack'), JSON.stringify({ id, status, detail }), { qos: 1 });
    if (!decoded.ok) {
      ack('rejected', decoded.reason);
      return;
    }
    const cmd = decoded.value;
    ack('received', cmd.action);
    const m = this.model;
    switch (cmd.action) {
      case 'REDUCE_LOAD':
        m.loadReduction = cmd.value;
        ack('applied', `load set to ${Math.round(100 - cmd.value)} % of base`);
        return;
      case 'SET_SPEED':
        m.speedSetpoint = cmd.value;
        ack('applied', `speed set-point ${cmd.value} rpm`);
        return;
      case 'STOP':
        m.running = false;
        ack('applied', 'stopped');
        return;
      case 'START':
        m.running = true;
        ack('applied', 'started');
        return;
      case 'SET_RATE':
        this.rateHz = cmd.value;
        this.schedule();
        ack('applied', `telemetry at ${cmd.value} Hz`);
        return;
      default:
        ack('applied', cmd.action.toLowerCase());
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const c = this.client;
    this.client = null;
    if (c) {
      // A clean stop says so; the last will only covers a crash.
      await c.publishAsync(topicFor(this.id, 'status'), JSON.stringify({ device_id: this.id, state: 'offline', fw: FW, board: 'simulator' }), { qos: 1, retain: true }).catch(() => undefined);
      await c.endAsync();
    }
  }
}

/** What the "malformed" fault sends every fifth message: the usual ways boards get it wrong. */
const MALFORMED = [
  '{"device_id":"$ID","temperature":NaN,"vibration":0.03,"rpm":1480}',
  '{"device_id":"$ID","temperature":"hot","rpm":1480}',
  '{"temperature":71.2,"vibration":0.03}',
  '{"device_id":"$ID","temperature":71.2,"rpm":1480',
  '{"device_id":"other_motor","temperature":71.2}',
];
