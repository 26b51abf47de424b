import type { SimFault } from '../../shared/contract';

// A physically plausible induction motor, simple enough to reason about:
// - speed slips below synchronous speed in proportion to load (rated slip at rated load);
// - frame temperature follows a first-order thermal model: it approaches ambient + rise(load) with time
//   constant tau, where the rise grows with copper losses (load squared) over a no-load floor;
// - vibration is a 1x running-speed component (residual unbalance) plus noise; faults add their own
//   components (unbalance 1x, misalignment 2x, bearing defects growing over time).

export interface MotorSpec {
  syncRpm: number;
  ratedRpm: number;
  ratedCurrentA: number;
  /** Frame temperature rise over ambient at rated load, in K. */
  ratedRiseK: number;
  /** Thermal time constant of the frame, in s (shortened for a lively demo). */
  thermalTauS: number;
}

/** A simulated bearing defect grows in minutes (e-folding 4 min) what a real one grows in hours to days: one
 * simulated second stands for about two plant minutes, before any speedup. */
export const WEAR_TIME_COMPRESSION = 120;

export const DEFAULT_SPEC: MotorSpec = { syncRpm: 1500, ratedRpm: 1480, ratedCurrentA: 14.5, ratedRiseK: 45, thermalTauS: 120 };

export interface MotorReadings {
  temperature: number | null;
  vibration: number;
  rpm: number;
  ambient: number;
  current: number;
  vib_velocity: number;
  vib_peak: number;
}

const G_MM_S2 = 9806.65;
const NO_LOAD_LOSS_SHARE = 0.3;
/** Driven, the speed follows the supply within seconds; switched off, only friction and windage slow the
 * rotor, so an uncoupled machine coasts for a minute or two. */
const DRIVEN_TAU_S = 1.5;
const COAST_TAU_S = 25;
/** The resilient mounts' resonance, well below running speed: the 1x line swells as a run-down passes
 * through it and is barely touched elsewhere (a lightly damped mode: a narrow peak). */
const MOUNT_RESONANCE_HZ = 9;
const MOUNT_PEAK = 12;
const MOUNT_HALF_WIDTH_HZ = 1;

/** How much the mounts amplify a line at `hz`. */
const amplification = (hz: number) => 1 + (MOUNT_PEAK - 1) / (1 + ((hz - MOUNT_RESONANCE_HZ) / MOUNT_HALF_WIDTH_HZ) ** 2);

export class MotorModel {
  /** Commanded load share 0..1 before any REDUCE_LOAD. */
  baseLoad = 0.75;
  /** Percent taken off the load by REDUCE_LOAD (0-50). */
  loadReduction = 0;
  running = true;
  speedSetpoint: number | null = null;
  ambient = 24;
  temperature: number;
  rpm: number;
  fault: SimFault | null = null;
  /** Seconds since the current fault began: bearing faults grow with it. */
  faultAgeS = 0;
  private stuckTemperature: number | null = null;

  constructor(
    readonly spec: MotorSpec = DEFAULT_SPEC,
    private readonly random: () => number = Math.random,
  ) {
    this.temperature = this.steadyTemperature();
    this.rpm = this.targetRpm();
  }

  get load(): number {
    return this.running ? this.baseLoad * (1 - this.loadReduction / 100) : 0;
  }

  setFault(fault: SimFault | null): void {
    this.fault = fault;
    this.faultAgeS = 0;
    this.stuckTemperature = fault === 'stuck_sensor' ? this.temperature : null;
  }

  steadyTemperature(): number {
    const coolingPenalty = this.fault === 'overheating' ? 2.2 : this.fault === 'misalignment' ? 1.15 : 1;
    const bearingHeat = this.fault === 'bearing_outer' || this.fault === 'bearing_inner' ? Math.min(10, this.faultAgeS / 60) : 0;
    const rise = this.ratedRise() * (NO_LOAD_LOSS_SHARE + (1 - NO_LOAD_LOSS_SHARE) * this.load ** 2) * coolingPenalty;
    return this.ambient + (this.running ? rise : 0) + bearingHeat;
  }

  private ratedRise(): number {
    return this.spec.ratedRiseK;
  }

  targetRpm(): number {
    if (!this.running) return 0;
    const sync = this.speedSetpoint ?? this.spec.syncRpm;
    const ratedSlip = (this.spec.syncRpm - this.spec.ratedRpm) / this.spec.syncRpm;
    return sync * (1 - ratedSlip * this.load);
  }

  /** RMS acceleration of each vibration component now, in g (the waveform simulator draws the same machine). */
  vibrationComponents(): { oneX: number; twoX: number; bearing: number } {
    const spin = this.rpm / this.spec.syncRpm;
    // Levels are set at rated speed; other speeds scale by the mounts' response relative to it.
    const mount = amplification(this.rpm / 60) / amplification(this.spec.ratedRpm / 60);
    let oneX = 0.012 * spin ** 2 * mount;
    let twoX = 0.004 * spin ** 2;
    let bearing = 0;
    if (this.fault === 'unbalance') oneX *= 4;
    if (this.fault === 'misalignment') twoX += 0.035 * spin ** 2;
    if (this.fault === 'bearing_outer' || this.fault === 'bearing_inner') {
      // Defects grow roughly exponentially; capped where a real bearing would have seized.
      bearing = Math.min(0.2, 0.004 * Math.exp(this.faultAgeS / 240)) * (this.fault === 'bearing_inner' ? 1.2 : 1);
    }
    return { oneX, twoX, bearing };
  }

  /** Advances the model by dt seconds and returns what the sensors read. */
  step(dtS: number): MotorReadings {
    if (this.fault) this.faultAgeS += dtS;
    const target = this.steadyTemperature();
    this.temperature += (target - this.temperature) * (1 - Math.exp(-dtS / this.spec.thermalTauS));
    const rpmTarget = this.targetRpm();
    this.rpm += (rpmTarget - this.rpm) * (1 - Math.exp(-dtS / (this.running ? DRIVEN_TAU_S : COAST_TAU_S)));
    if (!this.running && this.rpm < 1) this.rpm = 0;
    const shaftHz = Math.max(this.rpm / 60, 0.1);
    const noise = () => (this.random() - 0.5) * 2;

    const { oneX, twoX, bearing } = this.vibrationComponents();
    const broadband = 0.004 + 0.001 * noise();
    const vibration = Math.sqrt(oneX ** 2 + twoX ** 2 + bearing ** 2 + broadband ** 2);
    // Velocity is dominated by the low-frequency lines; bearing tones sit high and add little velocity.
    const velocity = Math.sqrt((oneX / shaftHz) ** 2 + (twoX / (2 * shaftHz)) ** 2 + (bearing / (3.58 * shaftHz * 4)) ** 2) * (G_MM_S2 / (2 * Math.PI));
    const crest = bearing > oneX ? 5 + 2 * this.random() : 1.6 + 0.2 * this.random();

    let temperature: number | null = this.temperature + 0.1 * noise();
    if (this.fault === 'stuck_sensor') temperature = this.stuckTemperature;
    if (this.fault === 'sensor_dropout' && this.random() < 0.3) temperature = null;

    return {
      temperature: temperature === null ? null : round(temperature, 2),
      vibration: round(vibration * (1 + 0.03 * noise()), 4),
      rpm: round(this.rpm + (this.running ? noise() : 0), 1),
      ambient: round(this.ambient, 1),
      current: round(this.running ? this.spec.ratedCurrentA * (0.4 + 0.6 * this.load) + 0.1 * noise() : 0, 2),
      vib_velocity: round(velocity, 3),
      vib_peak: round(vibration * Math.SQRT2 * crest / Math.SQRT2, 4),
    };
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
