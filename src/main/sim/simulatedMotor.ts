import mqtt, { type MqttClient } from 'mqtt';
import type { SimFault } from '../../shared/contract';
import { decodeCommand } from '../../shared/protocol/decode';
import type { DeviceCommand } from '../../shared/protocol/commands';
import { topicFor } from '../../shared/protocol/topics';
import { MotorModel, WEAR_TIME_COMPRESSION } from './motorModel';
import { simWaveformBlock } from './waveformBlocks';

export interface SimulatedMotorOptions {
  id: string;
  brokerUrl: string;
  username?: string;
  password?: string;
  /** The embedded broker's own certificate when it speaks TLS: trusted as is (pinned), whatever name it carries. */
  ca?: string | Buffer;
  rateHz?: number;
  fault?: SimFault | null;
  /** Simulated seconds per real second: compresses thermal and fault growth for tests and demos. */
  speedup?: number;
  /** Switched on cold (frame at ambient) instead of already at its running temperature. */
  coldStart?: boolean;
  /** Seconds between waveform blocks (0: none). */
  waveformEveryS?: number;
  /** For tests of the closed loop: a board that never answers commands, or answers late. */
  commands?: CommandBehaviour;
  /** Told when the board cannot reach the broker (why), and with null once it connects after that. */
  onConnectionProblem?: (problem: string | null) => void;
}

export interface CommandBehaviour {
  ignore?: boolean;
  /** Delay before each acknowledgement, in milliseconds. */
  ackDelayMs?: number;
}

const FW = 'sim-1.0.0';
/** The most simulated time one telemetry tick may cover, in ticks: absorbs timer jitter, not stalls. */
const MAX_TICKS_PER_STEP = 1.5;

/**
 * A simulated sensor board: publishes telemetry over MQTT exactly as a real board (PROTOCOL.md),
 * keeps a retained status with a last will, and obeys and acknowledges commands.
 */
export class SimulatedMotor {
  readonly model = new MotorModel();
  private client: MqttClient | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private waveformTimer: ReturnType<typeof setInterval> | null = null;
  private seq = 0;
  private rateHz: number;
  private lastStep = Date.now();
  /** Like a board's millis(): lets the engine tell a restart (seq from 0) from a resend. */
  private readonly bootedAt = Date.now();
  published = 0;
  /** Simulated seconds since start: the clock a bench run of this motor keeps time by. */
  clockS = 0;
  /** Why the board is not connected to the broker (null while it is, or before its first attempt ends). */
  connectionProblem: string | null = null;
  private readonly answered = new Map<string, { status: string; detail: string }>();

  constructor(private readonly opts: SimulatedMotorOptions) {
    this.rateHz = opts.rateHz ?? 2;
    if (opts.coldStart) this.model.temperature = this.model.ambient;
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
    const client = mqtt.connect(this.opts.brokerUrl, {
      clientId: `motortwin-sim-${this.id}`,
      username: this.opts.username,
      password: this.opts.password,
      ...(this.opts.ca ? { ca: this.opts.ca, checkServerIdentity: () => undefined } : {}),
      reconnectPeriod: 1000,
      // Like a board's firmware: a persistent session, so commands sent while it reconnects wait for it.
      clean: false,
      will: { topic: topicFor(this.id, 'status'), payload: Buffer.from(this.statusMessage('offline')), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      this.setProblem(null);
      client.publish(topicFor(this.id, 'status'), this.statusMessage('online'), { qos: 1, retain: true });
      client.subscribe(topicFor(this.id, 'commands'), { qos: 1 });
    });
    client.on('message', (_topic, payload) => this.onCommand(payload.toString('utf8')));
    client.on('error', (e) => this.setProblem(e.message));
    this.schedule();
    this.startWaveforms();
  }

  setFault(fault: SimFault | null): void {
    this.model.setFault(fault);
  }

  /** Declares its time scale, so the twin judges its trends by the time they stand for. */
  private statusMessage(state: 'online' | 'offline'): string {
    return JSON.stringify({ device_id: this.id, state, fw: FW, board: 'simulator', time_scale: (this.opts.speedup ?? 1) * WEAR_TIME_COMPRESSION });
  }

  private setProblem(problem: string | null): void {
    if (problem === this.connectionProblem) return;
    this.connectionProblem = problem;
    this.opts.onConnectionProblem?.(problem);
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), 1000 / this.rateHz);
  }

  /** Waveform blocks as a board with an accelerometer streams them, for spectra and bearing diagnosis. */
  private startWaveforms(): void {
    const everyS = this.opts.waveformEveryS ?? 10;
    if (!everyS) return;
    let seq = 0;
    this.waveformTimer = setInterval(() => {
      const block = simWaveformBlock(this.id, this.model, seq + 1);
      if (block) this.client?.publish(topicFor(this.id, 'waveform'), JSON.stringify({ ...block, seq: seq++ }), { qos: 0 });
    }, everyS * 1000);
  }

  private tick(): void {
    const now = Date.now();
    // A busy host delays ticks. Simulated time then stands still instead of leaping ahead, so the readings
    // never show a gap the simulated sensor did not have (at a speedup of 60, a 1 s stall would be a minute).
    const realS = Math.min((now - this.lastStep) / 1000, MAX_TICKS_PER_STEP / this.rateHz);
    const dt = realS * (this.opts.speedup ?? 1);
    this.lastStep = now;
    this.clockS += dt;
    const readings = this.model.step(dt);
    const seq = this.seq++;
    let payload = JSON.stringify({ device_id: this.id, timestamp: new Date(now).toISOString(), seq, uptime_s: Math.round((now - this.bootedAt) / 100) / 10, ...readings });
    if (this.model.fault === 'malformed' && seq % 5 === 4) payload = MALFORMED[seq % MALFORMED.length].replace('$ID', this.id);
    this.client?.publish(topicFor(this.id, 'telemetry'), payload, { qos: 1 });
    this.published++;
  }

  /** Changes how this board answers commands (tests of expiry and late acknowledgements). */
  setCommandBehaviour(b: CommandBehaviour): void {
    this.opts.commands = b;
  }

  private onCommand(text: string): void {
    const behaviour = this.opts.commands ?? {};
    if (behaviour.ignore) return;
    const decoded = decodeCommand(text);
    const id = (() => {
      try {
        const v = JSON.parse(text).id;
        return typeof v === 'string' ? v : null;
      } catch {
        // Not JSON: rejected below without an id to answer to, as a board does.
        return null;
      }
    })();
    const ack = (status: string, detail: string) => {
      const send = () => this.client?.publish(topicFor(this.id, 'commands/ack'), JSON.stringify({ id, status, detail }), { qos: 1 });
      if (behaviour.ackDelayMs) setTimeout(send, behaviour.ackDelayMs);
      else send();
    };
    if (!decoded.ok) {
      ack('rejected', decoded.reason);
      return;
    }
    const cmd = decoded.value;
    // QoS 1 may deliver a command twice: a firmware applies an id once and repeats its answer.
    const earlier = id ? this.answered.get(id) : undefined;
    if (earlier) {
      ack(earlier.status, `${earlier.detail} (repeat of ${id}, not applied again)`);
      return;
    }
    if (cmd.expires_at && Date.parse(cmd.expires_at) < Date.now()) {
      this.remember(id, 'expired', 'arrived after its expiry');
      ack('expired', 'arrived after its expiry');
      return;
    }
    ack('received', cmd.action);
    const detail = this.apply(cmd);
    this.remember(id, 'applied', detail);
    ack('applied', detail);
  }

  private remember(id: string | null, status: string, detail: string): void {
    if (!id) return;
    this.answered.set(id, { status, detail });
    if (this.answered.size > 256) this.answered.delete(this.answered.keys().next().value as string);
  }

  private apply(cmd: DeviceCommand): string {
    const m = this.model;
    switch (cmd.action) {
      case 'REDUCE_LOAD':
        m.loadReduction = cmd.value;
        return `load set to ${Math.round(100 - cmd.value)} % of base`;
      case 'SET_SPEED':
        m.speedSetpoint = cmd.value;
        return `speed set-point ${cmd.value} rpm`;
      case 'STOP':
        m.running = false;
        return 'stopped';
      case 'START':
        m.running = true;
        return 'started';
      case 'SET_RATE':
        this.rateHz = cmd.value;
        this.schedule();
        return `telemetry at ${cmd.value} Hz`;
      default:
        return cmd.action.toLowerCase();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.waveformTimer) clearInterval(this.waveformTimer);
    this.waveformTimer = null;
    const c = this.client;
    this.client = null;
    if (!c) return;
    // A clean stop says so; the last will only covers a crash. Without a connection, or with a broker that
    // does not answer within a second, the client is closed at once: a graceful end would wait for the
    // queued messages forever and hold the shutdown.
    const offline = this.statusMessage('offline');
    const said = c.connected
      ? await Promise.race([
          c.publishAsync(topicFor(this.id, 'status'), offline, { qos: 1, retain: true }).then(() => true, () => false),
          new Promise<false>((r) => setTimeout(() => r(false), 1000).unref()),
        ])
      : false;
    await c.endAsync(!said);
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
