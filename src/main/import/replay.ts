import type { DuckDBConnection } from '@duckdb/node-api';
import type { Alarm, AlarmTransition } from '../../shared/healthContract';
import type { ReadingName } from '../../shared/readings';
import type { ReadingMap } from '../../shared/twin';
import { SIGNALS } from '../../shared/healthContract';
import { signalVector } from '../health/rules';
import type { ImportPorts } from './importPorts';
import { AlarmBook } from '../health/alarms';

// The imported rows, in time order, through the motor's rules and anomaly detector (the health service's own
// per-reading judge, with each row's time as "now"), so its alarms carry the times they would have had live.
// They are raised in a book of their own, then stored and handed to the live alarm list: an import never
// updates, clears or repeats an alarm the live motor holds.

export interface ReplayResult {
  replayed: number;
  alarms: Alarm[];
  /** The last row replayed: what the twin shows when it knows nothing newer. */
  last: { ts: number; values: ReadingMap } | null;
}

export async function replayImport(
  ports: ImportPorts,
  conn: DuckDBConnection,
  deviceId: string,
  readings: ReadingName[],
  /** How many rows imp_fresh holds (the store counted them): the progress's total. */
  total: number,
  onProgress: (done: number, total: number) => void,
  /** The stored rows are in time order as the table holds them: streamed as they are, without a sort. */
  inTimeOrder = false,
): Promise<ReplayResult> {
  const book = new AlarmBook();
  const changes: Array<{ alarm: Alarm; transition: AlarmTransition }> = [];
  book.on('change', (alarm, transition) => changes.push({ alarm, transition }));
  const step = ports.health.replayer(deviceId, book);
  const q0 = performance.now();
  let stepMs = 0;
  // A missing value comes as NaN, which the judge reads as missing (a stored reading is never NaN): every
  // vector then holds plain doubles, read without a null check per value.
  const result = await conn.stream(`SELECT epoch_ms(ts)::DOUBLE AS t, ${readings.map((_, i) => `coalesce(r${i}, 'NaN'::DOUBLE)`).join(', ')} FROM imp_fresh${inTimeOrder ? '' : ' ORDER BY ts'}`);
  // One vector reused for every row, by signal index: the judge reads it and keeps nothing of it.
  const row = signalVector();
  const at = readings.map((r) => SIGNALS.indexOf(r));
  let done = 0;
  let last: ReplayResult['last'] = null;
  const fetch = () => {
    const next = result.fetchChunk();
    // Awaited below; this only keeps a chunk left unread after a failed step from being an unhandled rejection.
    next.catch(() => undefined);
    return next;
  };
  let next = fetch();
  for (let chunk = await next; chunk && chunk.rowCount > 0; chunk = await next) {
    // DuckDB produces the next chunk on its own thread while this one is judged here.
    next = fetch();
    // The column vectors read in place (a DOUBLE vector is a Float64Array): no array of values per chunk.
    const t = chunk.getColumnVector(0);
    const cols = readings.map((_, k) => chunk.getColumnVector(k + 1));
    const n = chunk.rowCount;
    const s0 = performance.now();
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < at.length; k++) row[at[k]] = cols[k].getItem(i) as number;
      step(row, t.getItem(i) as number);
    }
    stepMs += performance.now() - s0;
    done += n;
    last = { ts: t.getItem(n - 1) as number, values: Object.fromEntries(readings.map((r, k) => [r, row[at[k]] === row[at[k]] ? row[at[k]] : null])) };
    onProgress(done, total);
  }
  if (process.env.MOTORTWIN_IMPORT_PROFILE) process.stderr.write(`import step replay: ${Math.round(performance.now() - q0)} ms, of which stepping ${Math.round(stepMs)} ms\n`);
  if (last) closeAtTheEnd(ports, deviceId, book, last.ts);
  acknowledgeEndedEpisodes(book);
  // Stored in the order they happened; then the live list learns them and the UIs hear of each change.
  ports.health.store.saveAlarms(changes);
  ports.health.alarms.load(book.all().map((a) => ({ ...a })));
  for (const c of changes) ports.emit('alarm', { ...c, historical: true });
  return { replayed: done, alarms: book.all().sort((a, b) => a.raisedAt - b.raisedAt), last };
}

/**
 * An episode that began and ended inside the imported history happened before anyone could answer it: it is
 * recorded as acknowledged by the import (the comment says so), so the header's count of alarms waiting for a
 * person stays about the motor as it is now. One still active where the history ends stays unacknowledged.
 */
function acknowledgeEndedEpisodes(book: AlarmBook): void {
  for (const a of book.all()) {
    if (a.state === 'cleared_unacked') book.ack(a.id, 'raised and cleared within imported history: recorded by the import, nothing to answer now', a.clearedAt ?? a.updatedAt);
  }
}

/**
 * An alarm still active when the imported series ends stays active (the last thing known of the motor) unless
 * the motor has been heard since, or holds a live alarm of that condition: then it is cleared where the
 * imported history ends, so the live story is not overwritten by an old one.
 */
function closeAtTheEnd(ports: ImportPorts, deviceId: string, book: AlarmBook, endTs: number): void {
  const heardSince = (ports.twins.get(deviceId)?.lastSeen ?? 0) > endTs;
  for (const a of book.activeFor(deviceId)) {
    if (heardSince || ports.health.alarms.openFor(deviceId, a.condition)) book.clear(deviceId, a.condition, endTs, `${a.message} (the imported history ends here)`);
  }
}
