import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportRequestSchema } from '../../../shared/contract';
import { MotorDatabase } from '../../store/database';
import { exportHistory } from '../../store/exporter';
import { UsageError, type CliCommand } from '../command';
import { dataDirOf, parse, serverAuthHeaders, serverTokenOption, SERVER_TOKEN_USAGE } from '../options';
import { join } from 'node:path';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: `motortwin export --device ID --out FILE [--from TIME] [--to TIME] [--format csv|parquet] [--data-dir DIR | --server URL]
  TIME is ISO 8601 (2026-01-15T10:00:00Z) or epoch milliseconds; default: the last 24 hours.
  --format defaults from the --out extension (.parquet or .csv).
  --server URL exports through a running MotorTwin (its database is locked while it runs).
${SERVER_TOKEN_USAGE}`,
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
    const db = await MotorDatabase.open(join(dataDirOf(v), 'motortwin.duckdb'));
    try {
      const tmp = `${out}.partial`;
      const r = await exportHistory(db, req.data, tmp);
      copyFileSync(tmp, out);
      (await import('node:fs')).rmSync(tmp);
      io.out(`wrote ${r.rows} rows (${r.bytes} bytes) to ${out}`);
      return r.rows > 0 ? 0 : 3;
    } finally {
      db.close();
    }
  },
};

function toMs(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new UsageError(`"${s}" is not a time: use ISO 8601 or epoch milliseconds`);
  return t;
}
