import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { IMPORT_CHUNK_BYTES, importOptionsSchema, type ImportOptions, type ImportProgress, type ImportReport } from '../../../shared/importContract';
import { isReadingName, type ReadingName } from '../../../shared/readings';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { connectServer } from '../serverClient';
import { dataDirOf, parse, serverAuthHeaders, serverTokenOption, SERVER_TOKEN_USAGE } from '../options';
import { openEngine } from '../agentOptions';

export const importCommand: CliCommand = {
  name: 'import',
  usage: `motortwin import FILE --device ID [--time-column NAME] [--map COLUMN=READING …] [--timezone TZ] [--baseline-hours N]
                [--data-dir DIR | --server URL] [--json]
  FILE is CSV or Parquet (.parquet): one row per time, one column per reading.
  --device ID            the motor the rows belong to (created when new)
  --time-column NAME     the column holding the time (default: one named time/timestamp/date, else the first)
  --map COLUMN=READING   which reading a column is (repeatable; default: the columns named like a reading),
                         e.g. --map "Bearing 1=vibration"
  --timezone TZ          zone of times written without an offset (IANA name, default UTC)
  --baseline-hours N     vibration alarm levels are learned over the series' first N hours (default 24)
  --server URL           import through a running MotorTwin (its database is locked while it runs)
${SERVER_TOKEN_USAGE}
  --json                 print {rowsRead, stored, alreadyStored, skipped, problems: [{line, reason}], alarms: […], …}
  Bad rows (unreadable times, mixed time zones, text or NaN in a number column, duplicated times) are skipped and
  reported with their line; the rest is stored. A failure stores nothing. Exit code 0, or 1 on a failure.`,
  async run(args, io) {
    const { values: v, positionals } = parse(
      args,
      {
        device: { type: 'string' },
        'time-column': { type: 'string' },
        map: { type: 'string', multiple: true },
        timezone: { type: 'string' },
        'baseline-hours': { type: 'string' },
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        json: { type: 'boolean' },
        ...serverTokenOption,
      },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('give one FILE to import');
    const file = resolve(positionals[0]);
    if (!existsSync(file)) throw new UsageError(`no file ${file}`);
    if (!v.device) throw new UsageError('--device is required');
    const hours = v['baseline-hours'] === undefined ? undefined : Number(v['baseline-hours']);
    const options = importOptionsSchema.safeParse({ deviceId: v.device, timeColumn: v['time-column'], map: mapOf(v.map ?? []), timezone: v.timezone, baselineHours: hours });
    if (!options.success) throw new UsageError(options.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
    const progress = v.json ? undefined : (p: ImportProgress) => p.phase === 'replaying' && p.done === p.total && io.err(`replayed ${p.done} rows through the rules`);
    let report: ImportReport;
    if (v.server) report = await importThroughServer(v.server, file, options.data, serverAuthHeaders(v), progress);
    else {
      const engine = await openEngine(dataDirOf(v), {});
      try {
        report = await engine.imports.run(file, options.data, { onProgress: progress });
      } finally {
        await engine.close();
      }
    }
    print(io, report, Boolean(v.json));
    return 0;
  },
};

function mapOf(pairs: string[]): Record<string, ReadingName> | undefined {
  if (!pairs.length) return undefined;
  const map: Record<string, ReadingName> = {};
  for (const p of pairs) {
    const at = p.lastIndexOf('=');
    const column = p.slice(0, at);
    const reading = p.slice(at + 1).trim();
    if (at <= 0 || !isReadingName(reading)) throw new UsageError(`--map "${p}": give COLUMN=READING, READING one of the twin's readings (temperature, vibration, rpm, current, vib_velocity…)`);
    map[column] = reading;
  }
  return map;
}

function print(io: CliIo, r: ImportReport, json: boolean): void {
  if (json) return io.out(JSON.stringify(r, null, 2));
  const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString());
  io.out(`${r.file} → ${r.deviceId}${r.twinCreated ? ' (new motor)' : ''}: ${r.rowsRead} rows read, ${r.stored} stored, ${r.alreadyStored} already stored, ${r.skipped} skipped`);
  io.out(`  time column "${r.timeColumn}", ${Object.entries(r.columns).map(([c, m]) => `"${c}" as ${m}`).join(', ')}; ${iso(r.from)} to ${iso(r.to)}`);
  for (const p of r.problems) io.out(`  ${r.format === 'csv' ? 'line' : 'row'} ${p.line}: ${p.reason}`);
  if (r.skipped > r.problems.length) io.out(`  … ${Object.entries(r.skippedByKind).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  for (const b of r.baseline) io.out(`  ${b.reading} baseline ${b.median.toPrecision(3)} over ${b.readings} readings: ALERT ${b.alert}${b.danger === null ? '' : `, MECHANICAL_FAULT ${b.danger}`}${b.applied ? '' : ' (the motor keeps its own rules)'}`);
  io.out(`  ${r.alarms.length} alarm(s) from replaying ${r.replayed} rows:`);
  for (const a of r.alarms) io.out(`    ${iso(a.raisedAt)} to ${a.clearedAt === null ? 'still active' : iso(a.clearedAt)}  ${a.condition} (${a.severity}): ${a.message}`);
}

/** Uploads the file in chunks over the contract (as the UI does) and waits for the import's report. */
async function importThroughServer(url: string, file: string, options: ImportOptions, headers: Record<string, string>, progress?: (p: ImportProgress) => void): Promise<ImportReport> {
  const { client, close } = await connectServer(url, headers, 120_000);
  const fh = await open(file, 'r');
  try {
    const uploadId = `cli_${Date.now().toString(36)}_${process.pid}`;
    const total = (await fh.stat()).size;
    const chunk = Buffer.alloc(IMPORT_CHUNK_BYTES);
    for (let offset = 0; offset < total; ) {
      const { bytesRead } = await fh.read(chunk, 0, IMPORT_CHUNK_BYTES, offset);
      await client.call('history.importUpload', { uploadId, name: basename(file), offset, total, data: chunk.subarray(0, bytesRead).toString('base64') });
      offset += bytesRead;
    }
    // Events of this import may come before the call that starts it returns: keep them until its id is known.
    const seen: ImportProgress[] = [];
    let importId: string | null = null;
    return await new Promise<ImportReport>((ok, fail) => {
      const handle = (p: ImportProgress) => {
        progress?.(p);
        if (p.phase === 'done' && p.report) ok(p.report);
        if (p.phase === 'failed') fail(new Error(p.message ?? 'the import failed'));
      };
      client.on('historyImport', (p) => (importId === null ? seen.push(p) : p.importId === importId && handle(p)));
      client.call('history.import', { ...options, uploadId }).then((r) => {
        importId = r.importId;
        seen.filter((p) => p.importId === importId).forEach(handle);
      }, fail);
    });
  } finally {
    await fh.close();
    client.dispose();
    close();
  }
}
