// Which operating state a motor is in, so its baseline is kept per state: a motor at half speed on a drive, or
// lightly loaded, vibrates and runs cooler than at rated speed and load, and neither is a fault. Speed bands
// are shares of the rated speed (of the fastest speed seen when the nameplate has none); load bands are shares
// of the rated current when the nameplate gives it, else there is one load band. Crossing into a band needs a
// small margin past its edge, so a motor running right at an edge does not flip between states.

export const STOPPED = 'stopped';

/** Below this share of the rated speed (or of the rated current, when there is no speed) the motor is stopped. */
const STOPPED_SHARE = 0.05;
/** Speed bands: below 70 % of rated speed is "low speed" (a drive turned down), above is "rated speed". */
const LOW_SPEED_SHARE = 0.7;
/** Load bands by current over rated current: light below 60 %, rated up to 100 %, overload above. */
const LIGHT_LOAD_SHARE = 0.6;
const OVERLOAD_SHARE = 1.0;
/** Share of a band edge a reading must pass by before the state changes. */
const MARGIN = 0.03;

export interface StateInputs {
  rpm: number | null;
  current: number | null;
}

function band(share: number, edges: number[], names: string[], previous: string | null): string {
  let i = 0;
  while (i < edges.length && share >= edges[i]) i++;
  const next = names[i];
  if (previous === null || previous === next) return next;
  // Stay in the previous band while the reading is within the margin of the edge between them.
  const p = names.indexOf(previous);
  if (p < 0) return next;
  const edge = edges[Math.min(p, i)];
  return Math.abs(share - edge) < MARGIN * edge ? previous : next;
}

const SPEED_EDGES = [LOW_SPEED_SHARE];
const SPEED_BANDS = ['low speed', 'rated speed'];
const LOAD_EDGES = [LIGHT_LOAD_SHARE, OVERLOAD_SHARE];
const LOAD_BANDS = ['light load', 'rated load', 'overload'];

export class OperatingState {
  /** The fastest speed seen: the speed reference when the nameplate has no rated speed. */
  private fastest = 0;
  private speed: string | null = null;
  private load: string | null = null;
  current = STOPPED;

  constructor(
    private ratedRpm: number | null = null,
    private ratedCurrent: number | null = null,
  ) {}

  configure(ratedRpm: number | null, ratedCurrent: number | null): void {
    this.ratedRpm = ratedRpm;
    this.ratedCurrent = ratedCurrent;
  }

  /** The state of one reading: "stopped", or speed band and load band ("rated speed, rated load"). */
  step({ rpm, current }: StateInputs): string {
    return this.at(rpm ?? NaN, current ?? NaN);
  }

  /** `step` with NaN for a missing value: what the detector calls for every reading, allocating nothing. */
  at(rpm: number, current: number): string {
    if (rpm === rpm) this.fastest = Math.max(this.fastest, rpm);
    // No speed reference without a rated or a seen speed above 0, none for load without a rated current.
    const refRpm = this.ratedRpm ?? this.fastest;
    const speedShare = rpm === rpm && refRpm ? rpm / refRpm : NaN;
    const loadShare = current === current && this.ratedCurrent ? current / this.ratedCurrent : NaN;
    if (speedShare === speedShare ? speedShare < STOPPED_SHARE : loadShare === loadShare && loadShare < STOPPED_SHARE) {
      this.speed = this.load = null;
      return (this.current = STOPPED);
    }
    const speed = speedShare === speedShare ? band(speedShare, SPEED_EDGES, SPEED_BANDS, this.speed) : null;
    const load = loadShare === loadShare ? band(loadShare, LOAD_EDGES, LOAD_BANDS, this.load) : null;
    // Runs for every reading: a new name only when a band changed.
    if (speed === this.speed && load === this.load && this.current !== STOPPED) return this.current;
    this.speed = speed;
    this.load = load;
    return (this.current = speed && load ? `${speed}, ${load}` : (speed ?? load ?? 'running'));
  }
}
