import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Rule } from '../../shared/healthContract';
import { importOptionsSchema, type ImportOptions, type ImportProgress, type ImportReport } from '../../shared/importContract';
import type { ReadingName } from '../../shared/readings';
import type { ReadingMap } from '../../shared/twin';
import type { ImportPorts } from './importPorts';
import { levelsFromBaseline, VIBRATION_READINGS } from './baselineRules';
import { inspectFile, lit, readingMapOf, timeColumnOf } from './fileSource';
import { replayImport } from './replay';
import { storeImport, timed, type BaselineStats } from './storeImport';
import { UploadFiles } from './uploadFiles';
import { DomainError } from '../platform/domainError';
import { BULK_MEMORY_LIMIT_BYTES } from '../store/database';

/** DuckDB's memory_limit while an import's rollups run: more than the store's (see importFile). */
const ROLLUP_MEMORY_LIMIT_BYTES = 0.6e9;
/**
 * Files from this size on are imported within those limits. Smaller ones stayed well within the engine's
 * (32 MiB: 362-459 MiB resident against a bound of 1,161), and a lower limit slows them: 250,000 rows stored in
 * 0.82 s against 0.65-0.72 s in single runs at load 1-2 (0.25x against 0.30-0.32x DuckDB's read_csv).
 */
const BOUNDED_FROM_BYTES = 100e6;

// History from other collectors, for one engine (its `imports` part): the CLI, the RPC handlers and the HTTP
// server all import through here. Imports run one at a time (two at once could each find a time not yet stored and both store it).

export interface ImportHooks {
  importId?: string;
  onProgress?: (p: ImportProgress) => void;
}

export type { ImportPorts } from './importPorts';

export class HistoryImports {
  readonly uploads: UploadFiles;
  private queue: Promise<unknown> = Promise.resolve();
  private counter = 0;

  constructor(private readonly ports: ImportPorts) {
    this.uploads = new UploadFiles(join(ports.dataDir, 'imports'));
  }

  /** Imports one file; resolves with the report, rejects (having stored nothing) on a failure. */
  run(file: string, options: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
    const next = this.queue.then(() => this.ports.db.allCores(() => importFile(this.ports, file, options, hooks)));
    // The caller gets next's outcome; the queue only needs to move on.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The columns of an uploaded file, and what an import would take by default. */
  async columns(uploadId: string): Promise<{ columns: string[]; timeColumn: string; map: Record<string, ReadingName> }> {
    const { path } = this.uploads.file(uploadId);
    const conn = await this.ports.db.connect();
    try {
      // A file DuckDB cannot read as CSV or Parquet is the person's to fix.
      const layout = await inspectFile(conn, path).catch((e: Error) => Promise.reject(new DomainError('invalid', e.message)));
      const timeColumn = timeColumnOf(layout);
      let map: Record<string, ReadingName> = {};
      try {
        map = readingMapOf(layout, timeColumn);
      } catch {
        // No column named like a reading: the person maps them.
      }
      return { columns: layout.columns, timeColumn, map };
    } finally {
      conn.closeSync();
    }
  }

  /** Starts the import of a complete upload: its progress and report go out as `historyImport` events. */
  start(uploadId: string, options: ImportOptions): { importId: string } {
    const { path, name } = this.uploads.file(uploadId);
    const importId = `imp_${Date.now().toString(36)}_${(this.counter++).toString(36)}`;
    const emit = (p: ImportProgress) => this.ports.emit('historyImport', p);
    const deviceId = options.deviceId;
    emit({ importId, deviceId, phase: 'reading', done: 0, total: 0, message: `reading ${name}`, report: null });
    this.run(path, options, { importId, onProgress: emit })
      .then(
        (report) => emit({ importId, deviceId, phase: 'done', done: report.replayed, total: report.replayed, message: null, report: { ...report, file: name } }),
        (e: Error) => emit({ importId, deviceId, phase: 'failed', done: 0, total: 0, message: e.message, report: null }),
      )
      .finally(() => this.uploads.drop(uploadId));
    return { importId };
  }
}


async function importFile(ports: ImportPorts, file: string, input: ImportOptions, hooks: ImportHooks): Promise<ImportReport> {
  const o = importOptionsSchema.parse(input);
  const importId = hooks.importId ?? 'cli';
  const progress = (phase: ImportProgress['phase'], done = 0, total = 0) => hooks.onProgress?.({ importId, deviceId: o.deviceId, phase, done, total, message: null, report: null });
  const conn = await ports.db.connect();
  try {
    // The import's time includes finding the file's dialect, as read_csv's own includes its sniffing.
    const started = performance.now();
    await checkTimezone(conn, o.timezone);
    const layout = await timed('sniff', () => inspectFile(conn, file)).catch((e: Error) => {
      throw new Error(`cannot read ${basename(file)} as ${/\.parq/i.test(file) ? 'Parquet' : 'CSV'}: ${e.message}`);
    });
    const timeColumn = timeColumnOf(layout, o.timeColumn);
    const map = readingMapOf(layout, timeColumn, o.map);
    // The store (its temporary copy of the file spills beyond the limit) and the replay within the import's own
    // memory limit; the rollups within one of their own.
    const bounded = statSync(file).size >= BOUNDED_FROM_BYTES;
    const stored = await ports.db.allCores(
      () => storeImport(conn, { deviceId: o.deviceId, file, layout, timeColumn, map, timezone: o.timezone, baselineHours: o.baselineHours, baselineReadings: VIBRATION_READINGS, beforeCommit: () => progress('storing') }),
      { memoryLimitBytes: bounded ? BULK_MEMORY_LIMIT_BYTES : undefined },
    );
    const twinCreated = !ports.twins.get(o.deviceId);
    ports.twins.ensure(o.deviceId, 'import');
    const baseline = applyBaselineRules(ports, o.deviceId, stored.baselines);
    if (stored.stored > 0) {
      ports.rollups.markDirty(o.deviceId, stored.from!);
      // The first run may be one already under way, begun before this mark.
      // Their scan of every imported row filled DuckDB's cache up to the engine's limit (a 2 GiB file: 1,265 MiB
      // resident, 786 MiB within 600 MB); their upsert of a row a minute cannot all spill (it ran out of 300 MB).
      await timed('rollups', () =>
        ports.db.allCores(
          async () => {
            await ports.rollups.run();
            await ports.rollups.run();
          },
          { memoryLimitBytes: bounded ? ROLLUP_MEMORY_LIMIT_BYTES : undefined },
        ),
      );
    }
    const storeS = (performance.now() - started) / 1000;
    const replayStarted = performance.now();
    const readings = Object.values(map);
    // The replay streams the stored rows in chunks; within the engine's limit its scan cached the table up to 1 GB
    // (a 2 GiB file with a bad row: 1,228 MiB resident during the replay, 1,244 at close).
    const replay =
      stored.stored > 0
        ? await ports.db.allCores(() => replayImport(ports, conn, o.deviceId, readings, stored.stored, (d, t) => progress('replaying', d, t), stored.inTimeOrder), {
            memoryLimitBytes: bounded ? BULK_MEMORY_LIMIT_BYTES : undefined,
          })
        : { replayed: 0, alarms: [], last: null };
    if (replay.last) showLatest(ports, o.deviceId, replay.last);
    ports.health.refreshStatus(o.deviceId);
    return {
      deviceId: o.deviceId,
      file: basename(file),
      format: layout.format,
      timeColumn,
      columns: map,
      rowsRead: stored.rowsRead,
      stored: stored.stored,
      alreadyStored: stored.alreadyStored,
      skipped: stored.skipped,
      skippedByKind: stored.skippedByKind,
      problems: stored.problems,
      from: stored.from,
      to: stored.to,
      twinCreated,
      baseline,
      replayed: replay.replayed,
      alarms: replay.alarms.map((a) => ({ id: a.id, condition: a.condition, severity: a.severity, message: a.message, raisedAt: a.raisedAt, clearedAt: a.clearedAt })),
      seconds: { store: round3(storeS), replay: round3((performance.now() - replayStarted) / 1000) },
    };
  } finally {
    // Its temporary tables go with it.
    conn.closeSync();
  }
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

async function checkTimezone(conn: DuckDBConnection, tz: string): Promise<void> {
  await conn.run(`SELECT timezone(${lit(tz)}, TIMESTAMP '2000-01-01')`).catch(() => {
    throw new Error(`--timezone "${tz}" is not a time zone: give an IANA name such as UTC or Europe/Berlin`);
  });
}

/** Levels from each vibration channel's baseline become the motor's rules, unless it has its own of that id. */
function applyBaselineRules(ports: ImportPorts, id: string, stats: BaselineStats[]): ImportReport['baseline'] {
  const twin = ports.twins.get(id)!;
  const own = ports.health.rulesFor(id).motorRules;
  const added: Rule[] = [];
  const out: ImportReport['baseline'] = [];
  for (const b of stats) {
    const levels = levelsFromBaseline(b, twin.nameplate);
    if (!levels) continue;
    const fresh = levels.rules.filter((r) => !own.some((o) => o.id === r.id));
    added.push(...fresh);
    out.push({ reading: b.reading, median: b.median, spread: b.spread, readings: b.readings, alert: levels.alert, danger: levels.danger, applied: fresh.length > 0 });
  }
  if (added.length) ports.health.setRules('motor', id, [...own, ...added]);
  return out;
}

/** The twin shows the last imported values where it has nothing newer (its connection is left as it was). */
function showLatest(ports: ImportPorts, id: string, last: { ts: number; values: ReadingMap }): void {
  const twin = ports.twins.get(id)!;
  for (const [name, value] of Object.entries(last.values) as Array<[ReadingName, number | null]>) {
    if (value !== null && (twin.readings[name]?.ts ?? -Infinity) < last.ts) twin.readings[name] = { value, ts: last.ts };
  }
}
