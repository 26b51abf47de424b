import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportRequestSchema } from '../../../shared/contract';
import { MotorDatabase } from '../../store/database';
import { exportHistory } from '../../store/exporter';
import { UsageError, type CliCommand } from '../command';
import { dataDirOf, parse, serverAuthHeaders, serverTokenOption, SERVER_TOKEN_USAGE } from '../options';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: `motortwin export --device ID --out FILE [--from TIME] [--to TIME] [--format csv|parquet] [--data-dir DIR | --server URL]
  TIME is ISO 8601 (2026-01-15T10:00:00Z) or epoch milliseconds; default: the last 24 hours.
  --format defaults from the --out extension (.parquet or .csv).
  --server URL exports through a running MotorTwin (its database is locked while it runs).
${SERVER_TOKEN_USAGE}
Exit code: 0 written; 1 a failure (a motor with no history at all is one: the motors that have some are
listed); 2 bad options; 3 the motor has history but none in that range (the span it has is said). On 1 or 3
no file is written.`,
  async run(args, io) {
    const { values: v } = parse(args, {
      device: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      'data-dir': { type: 'string' },
      server: { type: 'string' },
      ...serverTokenOption,
    });
    if (!v.device || !v.out) throw new UsageError('--device and --out are required');
    const now = Date.now();
    const req = exportRequestSchema.safeParse({
      id: v.device,
      from: v.from !== undefined ? toMs(v.from) : now - 24 * 3600_000,
      to: v.to !== undefined ? toMs(v.to) : now + 1,
      format: v.format ?? (v.out.endsWith('.parquet') ? 'parquet' : 'csv'),
    });
    if (!req.success) throw new UsageError(req.error.issues.map((i) => `${i.path.join('.') || 'range'}: ${i.message}`).join('; '));
    const out = resolve(v.out);
    if (v.server) {
      const url = new URL('/api/export', v.server);
      url.search = new URLSearchParams({ device: req.data.id, from: String(req.data.from), to: String(req.data.to), format: req.data.format }).toString();
      const res = await fetch(url, { headers: serverAuthHeaders(v) });
      if (!res.ok) {
        io.err(`export failed: ${res.status} ${await res.text()}`);
        return 1;
      }
      const { writeFile } = await import('node:fs/promises');
      await writeFile(out, Buffer.from(await res.arrayBuffer()));
      io.out(`wrote ${out}`);
      return 0;
    }
    const dataDir = dataDirOf(v);
    const file = join(dataDir, 'motortwin.duckdb');
    // Opening would create an empty database: a mistyped --data-dir must say so, not leave one behind.
    if (!existsSync(file)) {
      io.err(`no MotorTwin history in ${dataDir}: it has no motortwin.duckdb`);
      return 1;
    }
    const db = await MotorDatabase.open(file);
    try {
      const [span] = await db.query('SELECT epoch_ms(min(ts)) AS first, epoch_ms(max(ts)) AS last FROM telemetry WHERE device_id = ?', [req.data.id]);
      if (span.first === null) {
        io.err(`no history for motor '${req.data.id}' in ${dataDir}: ${await knownMotors(db)}`);
        return 1;
      }
      const tmp = `${out}.partial`;
      const r = await exportHistory(db, req.data, tmp);
      if (r.rows === 0) {
        rmSync(tmp);
        io.err(
          `no readings of motor '${req.data.id}' from ${iso(req.data.from)} to ${iso(req.data.to)}: ` +
            `its history runs from ${iso(span.first)} to ${iso(span.last)} (use --from and --to); nothing written`,
        );
        return 3;
      }
      renameSync(tmp, out);
      io.out(`wrote ${r.rows} rows (${r.bytes} bytes) to ${out}`);
      return 0;
    } finally {
      db.close();
    }
  },
};

async function knownMotors(db: MotorDatabase): Promise<string> {
  const rows = await db.query('SELECT DISTINCT device_id AS id FROM telemetry ORDER BY id LIMIT 51');
  if (rows.length === 0) return 'it holds no motor\'s history';
  const ids = rows.slice(0, 50).map((r) => String(r.id));
  return `known motors: ${ids.join(', ')}${rows.length > 50 ? ', …' : ''}`;
}

const iso = (ms: unknown) => new Date(Number(ms)).toISOString();

function toMs(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new UsageError(`"${s}" is not a time: use ISO 8601 or epoch milliseconds`);
  return t;
}
