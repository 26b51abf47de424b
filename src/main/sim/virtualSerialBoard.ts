import { rmSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { decodeCommand } from '../../shared/protocol/decode';
import { provisioningSchema, SECRET_KEYS, type Provisioning } from '../../shared/protocol/provisioning';
import { SimBootloader, type SimBootloaderFaults } from '../flash/simBootloader';
import { inspectImage } from '../flash/image';
import { MotorModel } from './motorModel';
import { createPtyPair, type PtyPair } from './socatPair';
import { simWaveformBlock } from './waveformBlocks';

export interface VirtualBoardOptions {
  id: string;
  rateHz?: number;
  fw?: string;
  /** Start in the ROM bootloader (as if BOOT was held at reset) instead of running the firmware. */
  startInBootloader?: boolean;
  /** When false the board ignores bootloader traffic, like a board whose auto-reset circuit is missing. */
  autoBootloader?: boolean;
  /** Print a line of random bytes after every N telemetry lines (a wrong baud rate looks like this). */
  garbageEvery?: number;
  bootloaderFaults?: SimBootloaderFaults;
  /** Waveform blocks per second per axis (the accelerometer calibration averages them). */
  waveformHz?: number;
  /** Stream the motor's vibration (16384-sample blocks, as the MQTT simulator) instead of the resting accelerometer. */
  vibrationWaveforms?: boolean;
  /**
   * Powered by the motor's supply, not by USB: a pulled cable leaves the firmware running (seq keeps
   * counting, the lines go nowhere) and a replug reattaches without a reboot, so the host sees a seq gap.
   */
  selfPowered?: boolean;
}

/** Sensor errors the calibration wizard has to find: a warm-reading thermistor and a tilted, offset accelerometer. */
const RAW_TEMP_GAIN = 1.01;
const RAW_TEMP_OFFSET = 1.2;
const TRUE_PULSES_PER_REV = 2;
const ACCEL_BIAS: [number, number, number] = [0.021, -0.014, 0.008];
const SCALE_G_PER_LSB = 1 / 16384;
const WAVE_SAMPLES = 256;
/** How long the bootloader waits, after a finished flash, before the simulated user presses EN. */
const RESET_AFTER_FLASH_MS = 800;
const STATUS_EVERY_MS = 5000;

/**
 * A virtual ESP32 sensor board on a socat pseudo-terminal pair, driven by the simulator's motor model:
 * prints a boot banner, speaks NDJSON (PROTOCOL.md), acknowledges commands and applies calibrations. On
 * a SLIP frame it drops into a simulated ROM bootloader (standing in for the DTR/RTS auto-reset that a
 * pty cannot carry); after a flash it "resets" and boots the version found in the flashed image.
 */
export class VirtualSerialBoard {
  readonly model = new MotorModel();
  readonly flash = new Uint8Array(4 * 1024 * 1024).fill(0xff);
  pair: PtyPair | null = null;
  mode: 'app' | 'bootloader' = 'app';
  bootloader: SimBootloader | null = null;
  fw: string;
  calibration = { tempOffset: 0, tempGain: 1, zero: [0, 0, 0] as [number, number, number], pulsesPerRev: 1, id: null as string | null };
  sent = 0;
  commands: Array<Record<string, unknown>> = [];
  private port: SerialPort | null = null;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private seq = 0;
  private lastStep = Date.now();
  private rx = '';
  private resetTimer: ReturnType<typeof setTimeout> | null = null;
  private calibrations = 0;
  /** What CONFIG stored, as a board keeps it in NVS. */
  settings: Provisioning = {};

  constructor(private readonly opts: VirtualBoardOptions) {
    this.fw = opts.fw ?? '1.0.0';
  }

  get id(): string {
    return this.opts.id;
  }

  get hostPath(): string {
    if (!this.pair) throw new Error('the virtual board is not plugged in');
    return this.pair.hostPath;
  }

  /** Creates the pty pair (in `dir`, at the same paths on every replug) and powers the board up. */
  async plugIn(dir?: string): Promise<string> {
    this.pair = await createPtyPair({ dir, hostName: `tty-${this.opts.id}`, deviceName: `tty-${this.opts.id}.board` });
    if (this.port?.isOpen) this.port.close(() => undefined);
    const port = new SerialPort({ path: this.pair.devicePath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', () => undefined);
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = null;
      if (!this.opts.selfPowered) this.powerOff();
    });
    if (this.opts.selfPowered && this.timers.length) return this.pair.hostPath;
    if (this.opts.startInBootloader) this.enterBootloader();
    else this.boot();
    return this.pair.hostPath;
  }

  /** The cable is yanked: socat dies at once (SIGKILL), the host's end vanishes mid-line. */
  async pullCable(): Promise<void> {
    const pair = this.pair;
    if (!pair) return;
    await new Promise<void>((resolve) => {
      if (pair.process.exitCode !== null || pair.process.signalCode !== null) return resolve();
      pair.process.once('exit', () => resolve());
      pair.process.kill('SIGKILL');
    });
    // A killed socat leaves its links behind; the kernel would have removed the device node.
    rmSync(pair.hostPath, { force: true });
    rmSync(pair.devicePath, { force: true });
    this.pair = null;
  }

  async unplug(): Promise<void> {
    this.powerOff();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
    await this.pair?.unplug();
  }

  private powerOff(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.resetTimer) clearTimeout(this.resetTimer);
  }

  private write(data: string | Buffer): void {
    if (this.port?.isOpen) this.port.write(data);
  }

  private line(obj: Record<string, unknown> | string): void {
    this.write(`${typeof obj === 'string' ? obj : JSON.stringify(obj)}\n`);
    this.sent++;
  }

  private boot(): void {
    this.mode = 'app';
    this.bootloader = null;
    this.line('ets Jun  8 2016 00:22:57');
    this.line('rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)');
    this.line(`I (312) app_main: MotorTwin sensor board, firmware ${this.fw}`);
    this.status();
    const rate = this.opts.rateHz ?? 5;
    this.lastStep = Date.now();
    this.timers.push(setInterval(() => this.telemetry(), 1000 / rate));
    // Like the retained MQTT status: a console opened late still learns the firmware and calibration.
    this.timers.push(setInterval(() => this.status(), STATUS_EVERY_MS));
    const waveHz = this.opts.waveformHz ?? 1;
    if (waveHz > 0) this.timers.push(setInterval(() => this.waveforms(), 1000 / waveHz));
  }

  private status(): void {
    this.line({ type: 'status', device_id: this.opts.id, state: 'online', fw: this.fw, board: 'esp32-virtual', calibration_id: this.calibration.id });
  }

  private telemetry(): void {
    const now = Date.now();
    const r = this.model.step((now - this.lastStep) / 1000);
    this.lastStep = now;
    const c = this.calibration;
    const rawTemp = r.temperature === null ? null : r.temperature * RAW_TEMP_GAIN + RAW_TEMP_OFFSET;
    const seq = this.seq++;
    this.line({
      type: 'telemetry',
      device_id: this.opts.id,
      seq,
      temperature: rawTemp === null ? null : round(rawTemp * c.tempGain + c.tempOffset, 2),
      vibration: r.vibration,
      rpm: round((r.rpm * TRUE_PULSES_PER_REV) / c.pulsesPerRev, 1),
      current: r.current,
      vib_velocity: r.vib_velocity,
    });
    const every = this.opts.garbageEvery;
    if (every && seq % every === every - 1) {
      const junk = Buffer.alloc(24);
      for (let i = 0; i < junk.length; i++) junk[i] = 0x80 + Math.floor(Math.random() * 0x7f);
      this.write(Buffer.concat([junk, Buffer.from('\n')]));
    }
  }

  /** One block per axis of raw accelerometer samples: gravity on z, the sensor's bias, a little noise. */
  private waveforms(): void {
    if (this.opts.vibrationWaveforms) {
      const block = simWaveformBlock(this.opts.id, this.model, this.seq + 1);
      if (block) this.line({ type: 'waveform', ...block });
      return;
    }
    const gravity = [0, 0, 1];
    (['x', 'y', 'z'] as const).forEach((axis, i) => {
      const samples = new Int16Array(WAVE_SAMPLES);
      const dc = gravity[i] + ACCEL_BIAS[i] - this.calibration.zero[i];
      for (let k = 0; k < WAVE_SAMPLES; k++) samples[k] = Math.round((dc + (Math.random() - 0.5) * 0.01) / SCALE_G_PER_LSB);
      this.line({
        type: 'waveform',
        device_id: this.opts.id,
        axis,
        sample_rate_hz: 1000,
        scale_g_per_lsb: SCALE_G_PER_LSB,
        encoding: 'int16le-base64',
        samples: Buffer.from(samples.buffer).toString('base64'),
      });
    });
  }

  private onData(chunk: Buffer): void {
    if (this.mode === 'bootloader') {
      this.bootloader?.receive(chunk);
      this.scheduleResetAfterFlash();
      return;
    }
    const slip = chunk.indexOf(0xc0);
    if (slip !== -1 && this.opts.autoBootloader !== false) {
      this.enterBootloader();
      this.bootloader?.receive(chunk.subarray(slip));
      return;
    }
    this.rx += chunk.toString('utf8');
    let nl: number;
    while ((nl = this.rx.indexOf('\n')) !== -1) {
      const text = this.rx.slice(0, nl).trim();
      this.rx = this.rx.slice(nl + 1);
      if (text) this.onCommandLine(text);
    }
  }

  /** Presses EN: the firmware restarts and prints its boot banner again. */
  reset(): void {
    this.powerOff();
    this.boot();
  }

  enterBootloader(): void {
    this.powerOff();
    this.mode = 'bootloader';
    this.bootloader = new SimBootloader((b) => this.write(b), this.opts.bootloaderFaults, this.flash);
  }

  private scheduleResetAfterFlash(): void {
    if (!this.bootloader?.writes.length) return;
    if (this.resetTimer) clearTimeout(this.resetTimer);
    this.resetTimer = setTimeout(() => {
      let version: string | null = null;
      try {
        version = inspectImage(this.flash.subarray(0x10000, 0x10000 + 4096), 0x10000).version;
      } catch {
        // not an image at the app offset: keep the old version string
      }
      if (version) this.fw = version;
      this.boot();
    }, RESET_AFTER_FLASH_MS);
  }

  private onCommandLine(text: string): void {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text);
    } catch {
      this.line({ type: 'log', device_id: this.opts.id, level: 'warn', msg: `not a command: ${text.slice(0, 80)}` });
      return;
    }
    this.commands.push(obj);
    const id = typeof obj.id === 'string' ? obj.id : null;
    const ack = (status: string, detail: string) => this.line({ type: 'ack', device_id: this.opts.id, id, status, detail });
    if (obj.action === 'CONFIG') return this.configure(obj, ack);
    const decoded = decodeCommand(obj);
    if (!decoded.ok) return ack('rejected', decoded.reason);
    const cmd = decoded.value;
    ack('received', cmd.action);
    if (cmd.action !== 'CALIBRATE') {
      if (cmd.action === 'STOP') this.model.running = false;
      if (cmd.action === 'START') this.model.running = true;
      if (cmd.action === 'REDUCE_LOAD') this.model.loadReduction = cmd.value;
      if (cmd.action === 'SET_SPEED') this.model.speedSetpoint = cmd.value;
      return ack('applied', cmd.action.toLowerCase());
    }
    const c = this.calibration;
    if (cmd.sensor === 'temperature') Object.assign(c, { tempOffset: cmd.offset, tempGain: cmd.gain });
    if (cmd.sensor === 'accel') c.zero = [...cmd.zero];
    if (cmd.sensor === 'rpm') c.pulsesPerRev = cmd.pulses_per_rev;
    c.id = `c-${new Date().toISOString().slice(0, 10)}-${String(++this.calibrations).padStart(2, '0')}`;
    ack('applied', `${cmd.sensor} calibration stored as ${c.id}`);
    this.status();
  }

  /** CONFIG as the firmware answers it: all or nothing, secrets never echoed (firmware/README.md). */
  private configure(obj: Record<string, unknown>, ack: (status: string, detail: string) => void): void {
    const { type: _type, id: _id, action: _action, ...settings } = obj;
    const parsed = provisioningSchema.safeParse(settings);
    if (!parsed.success) return ack('rejected', parsed.error.issues[0].message);
    this.settings = { ...this.settings, ...parsed.data };
    const stored = Object.keys(parsed.data).map((k) => ((SECRET_KEYS as readonly string[]).includes(k) ? `${k} (hidden)` : k));
    ack('applied', `stored ${stored.join(', ')}; restarting to apply`);
  }
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
