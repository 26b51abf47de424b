import { READINGS, type ReadingName } from '../../shared/readings';
import type { ReadingValue } from '../../shared/twin';
import { formatRunning } from './liveAnomaly';

// Per-channel stale data while the board is online (this runs only when one of its messages arrives): a
// reading that stops updating, or one that freezes at one exact value. A sensor that died or came loose reads
// plausible numbers, so rules and the anomaly score would trust it; these alarms say the data is suspect.
//
// Frozen means the same exact value for long enough AND for enough updates that the channel's own noise makes
// it improbable. Each channel learns how often its value changes from one update to the next (over about its
// last thousand updates). A channel that changes on at least one update in five is noisy, and a run of n
// identical updates of a noisy channel is flagged once (1 - rate)^n < 1e-6, the run lasts the reading's time
// limit and counts at least 30 updates. A channel that changes less often (quantised, held by a drive, or moving
// only when the operating point does) is never called frozen. Only temperature starts out expected to vary (a
// running motor's frame, read to 0.01 K, never sits still for 10 min). Exempt: speed (a drive holds its speed
// exactly, which is its job), and an exact 0 (a stopped motor's honest current, speed and vibration).

const IMPROBABLE = 1e-6;
const NOISY_RATE = 0.2;
const MIN_RUN = 30;
/** The change rate's memory: about a thousand updates, so a start or a speed change does not make a steady
 * channel look noisy. */
const RATE_ALPHA = 0.001;
/** Silent: not updated for this long, and for this many of its usual update intervals. */
const SILENT_AFTER_MS = 5 * 60_000;
const SILENT_INTERVALS = 20;

interface Watch {
  /** Minutes of one exact value before it is called frozen; null: never. */
  frozenAfterMin: number | null;
  /** Share of updates expected to change the value before any are seen: 0 judges only channels seen to vary. */
  prior: number;
}

const NOISY: Watch = { frozenAfterMin: 5, prior: 0 };
export const WATCHED: Partial<Record<ReadingName, Watch>> = {
  temperature: { frozenAfterMin: 10, prior: 0.5 },
  vibration: NOISY,
  vib_velocity: NOISY,
  vib_peak: NOISY,
  vib_x: NOISY,
  vib_y: NOISY,
  vib_z: NOISY,
  current: NOISY,
  // A room may sit on one value for a long while.
  ambient: { frozenAfterMin: 30, prior: 0 },
  rpm: { frozenAfterMin: null, prior: 0 },
};

interface Channel {
  value: number | null;
  updatedAt: number;
  /** Mean gap between its updates (ms). */
  intervalMs: number;
  changeRate: number;
  /** Identical updates in a row, when the run began, and the change rate it is judged by. */
  run: number;
  runFrom: number;
  runRate: number;
  raised: 'frozen' | 'silent' | null;
}

export interface StaleEvent {
  reading: ReadingName;
  condition: string;
  raised: boolean;
  message: string;
}

export const staleCondition = (r: ReadingName) => `STALE_${r.toUpperCase()}`;

const show = (r: ReadingName, v: number | null) => (v === null ? 'no value' : `${v.toFixed(Math.max(2, READINGS[r].digits))} ${READINGS[r].unit}`);

/** The watched readings in WATCHED's order (the order their events come in), walked for every message. */
const WATCHED_NAMES = Object.keys(WATCHED) as ReadingName[];
const WATCHES = WATCHED_NAMES.map((r) => WATCHED[r]!);

export class StaleWatch {
  /** By index in WATCHED_NAMES, undefined until the reading first comes: no lookup by name per message. */
  private readonly channels: Array<Channel | undefined> = new Array(WATCHED_NAMES.length).fill(undefined);

  /** One message from the board at `ts`: the twin's readings, each with the time it last came. */
  step(readings: Partial<Record<ReadingName, ReadingValue>>, ts: number): StaleEvent[] {
    let events: StaleEvent[] | null = null;
    for (let i = 0; i < WATCHED_NAMES.length; i++) {
      const got = readings[WATCHED_NAMES[i]];
      if (!got) continue;
      const e = this.stepChannel(i, got, ts);
      if (e) (events ??= []).push(e);
    }
    return events ?? NONE;
  }

  private stepChannel(i: number, got: ReadingValue, ts: number): StaleEvent | null {
    const r = WATCHED_NAMES[i];
    const w = WATCHES[i];
    const c = this.channels[i];
    if (!c) {
      // A reading the twin kept from before this watch (restored history, a channel the board's firmware no
      // longer sends) is watched from when it comes again: its old time says nothing about this board now.
      if (got.ts !== ts) return null;
      this.channels[i] = { value: got.value, updatedAt: got.ts, intervalMs: 1000, changeRate: w.prior, run: 0, runFrom: got.ts, runRate: w.prior, raised: null };
      return null;
    }
    if (got.ts !== ts || got.ts <= c.updatedAt) {
      // Not in this message: silent once it has missed many of its usual updates.
      const quiet = ts - c.updatedAt;
      if (c.raised !== 'silent' && quiet >= Math.max(SILENT_AFTER_MS, SILENT_INTERVALS * c.intervalMs)) {
        c.raised = 'silent';
        return { reading: r, condition: staleCondition(r), raised: true, message: `${r} has not updated for ${formatRunning(quiet / 1000)} while the board is online (last ${show(r, c.value)}): sensor disconnected?` };
      }
      return null;
    }
    c.intervalMs += 0.1 * (Math.min(got.ts - c.updatedAt, SILENT_AFTER_MS) - c.intervalMs);
    c.updatedAt = got.ts;
    const wasSilent = c.raised === 'silent';
    if (got.value === null) {
      if (wasSilent) c.raised = null;
      return wasSilent ? { reading: r, condition: staleCondition(r), raised: false, message: `${r} is updating again` } : null;
    }
    const same = got.value === c.value;
    c.value = got.value;
    c.changeRate += RATE_ALPHA * ((same ? 0 : 1) - c.changeRate);
    if (!same) {
      c.run = 0;
      c.runFrom = got.ts;
      const was = c.raised;
      c.raised = null;
      return was ? { reading: r, condition: staleCondition(r), raised: false, message: `${r} is ${was === 'silent' ? 'updating' : 'changing'} again (${show(r, got.value)})` } : null;
    }
    if (c.run++ === 0) c.runRate = c.changeRate;
    if (wasSilent) {
      c.raised = null;
      return { reading: r, condition: staleCondition(r), raised: false, message: `${r} is updating again` };
    }
    if (c.raised || w.frozenAfterMin === null || got.value === 0 || c.run < MIN_RUN) return null;
    const forMs = got.ts - c.runFrom;
    if (forMs < w.frozenAfterMin * 60_000 || c.runRate < NOISY_RATE || Math.pow(1 - c.runRate, c.run) >= IMPROBABLE) return null;
    c.raised = 'frozen';
    return { reading: r, condition: staleCondition(r), raised: true, message: `${r} has read ${show(r, got.value)} exactly for ${formatRunning(forMs / 1000)} while the board is online: sensor stuck?` };
  }
}

const NONE: StaleEvent[] = [];
