import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

// What a crash or a damaged file cost, found when the history is opened. DuckDB replays its write-ahead
// log up to the first incomplete entry and drops the rest without a word (a torn log is taken for a
// crash mid-write), so MotorTwin checks two things itself:
// - the log's framing, before DuckDB opens it: where it ends in an incomplete entry, if it does;
// - a journal beside the database holding how many telemetry rows had been committed (written after
//   every commit): fewer rows after the replay means rows that had been reported stored are gone.
// An incomplete last entry with every committed row present is a write the crash interrupted: a note,
// not an alarm. The journal can lag (a failed write) but never run ahead of a commit, so it can miss a
// loss but cannot invent one.

/** Reported in the engine's status and /api/health; empty when nothing was lost. */
export interface StorageHealth {
  warnings: string[];
  /** Telemetry rows that had been committed and are gone, when the journal says. */
  lostRows: number | null;
}

export interface WalScan {
  bytes: number;
  /** Where the last whole entry ends, when an incomplete one follows it. */
  tornAt: number | null;
}

const journalSchema = z.object({ telemetryRows: z.number().int().min(0), at: z.number() });
type JournalEntry = z.infer<typeof journalSchema>;

export const walPathOf = (dbPath: string) => `${dbPath}.wal`;
const journalPathOf = (dbPath: string) => `${dbPath}.stored.json`;

/**
 * DuckDB 1.x's log (version 2): a version entry (serialized fields up to 0xFFFF), then entries framed as
 * [u64 size][u64 checksum][size bytes]. Only the frame sizes are read, not the entries. Null when there is
 * no log or its layout is one this does not know (then nothing is claimed).
 */
export function scanWal(path: string): WalScan | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const bytes = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(bytes, 256));
    readSync(fd, head, 0, head.length, 0);
    let pos = versionEntryEnd(head);
    if (pos === null) return null;
    const frame = Buffer.alloc(16);
    while (pos < bytes) {
      if (pos + 16 > bytes) return { bytes, tornAt: pos };
      readSync(fd, frame, 0, 16, pos);
      const size = frame.readBigUInt64LE(0);
      if (BigInt(pos + 16) + size > BigInt(bytes)) return { bytes, tornAt: pos };
      pos += 16 + Number(size);
    }
    return { bytes, tornAt: null };
  } finally {
    closeSync(fd);
  }
}

/** Fields 100 (entry type 98, WAL_VERSION) and 101 (version 2), optionally 102 (id bytes) and 103, then 0xFFFF. */
function versionEntryEnd(b: Buffer): number | null {
  let pos = 0;
  const u16 = () => (pos + 2 <= b.length ? b.readUInt16LE((pos += 2) - 2) : -1);
  const varint = () => {
    let v = 0;
    for (let shift = 0; pos < b.length && shift < 49; shift += 7) {
      const byte = b[pos++];
      v += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return v;
    }
    return -1;
  };
  if (u16() !== 100 || varint() !== 98 || u16() !== 101 || varint() !== 2) return null;
  for (;;) {
    const field = u16();
    if (field === 0xffff) return pos;
    if (field === 102) pos += Math.max(0, varint());
    else if (field !== 103 || varint() < 0) return null;
    if (pos > b.length) return null;
  }
}

function readJournal(dbPath: string): JournalEntry | null {
  try {
    const entry = journalSchema.safeParse(JSON.parse(readFileSync(journalPathOf(dbPath), 'utf8')));
    return entry.success ? entry.data : null;
  } catch {
    // No journal yet (a new or older database) or a damaged one: nothing to check the log against.
    return null;
  }
}

/** The committed telemetry row count, kept beside the database after every commit. */
export class StoreJournal {
  constructor(
    private readonly dbPath: string,
    private rows: number,
  ) {}

  committed(rows: number): void {
    this.rows += rows;
    this.save();
  }

  /** Written through a rename, so a crash leaves the old journal or the new one, never half of one. */
  save(): void {
    const file = journalPathOf(this.dbPath);
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify({ telemetryRows: this.rows, at: Date.now() } satisfies JournalEntry));
      renameSync(`${file}.tmp`, file);
    } catch {
      // A journal that lags can only miss a loss at the next start, never report one that did not happen.
    }
  }
}

/** What is known before DuckDB opens the file (the replay changes both the log and the row count). */
export interface BeforeOpen {
  wal: WalScan | null;
  journal: JournalEntry | null;
}

export function beforeOpen(dbPath: string): BeforeOpen {
  // A new database (the file gone) starts a new history: a journal left beside it says nothing about it.
  if (!existsSync(dbPath)) return { wal: null, journal: null };
  return { wal: scanWal(walPathOf(dbPath)), journal: readJournal(dbPath) };
}

/** Compares what the journal promised with the rows DuckDB recovered. Notes go to the log only. */
export function assess(dbPath: string, before: BeforeOpen, rows: number): StorageHealth & { notes: string[] } {
  const wal = walPathOf(dbPath);
  const { wal: scan, journal } = before;
  const torn = scan?.tornAt != null ? `the write-ahead log ${wal} ends in an incomplete entry at byte ${scan.tornAt} of ${scan.bytes}` : null;
  const lost = journal ? journal.telemetryRows - rows : null;
  if (lost !== null && lost > 0) {
    const when = new Date(journal!.at).toISOString();
    const count = `${lost.toLocaleString('en')} telemetry rows`;
    const warning = torn
      ? `${torn} (cut short or damaged): DuckDB recovered what came before it. ${count} that had been stored (by ${when}) are gone, and commands, audit entries and settings written after that point may be lost too`
      : `${count} that had been stored (by ${when}) are not in ${dbPath}: its write-ahead log was lost or damaged, or the file was replaced by an older copy`;
    return { warnings: [warning], lostRows: lost, notes: [] };
  }
  if (torn && !journal) {
    return { warnings: [`${torn}: DuckDB recovered what came before it; if the log was cut short, what was written after that point is lost (MotorTwin has no record to count it)`], lostRows: null, notes: [] };
  }
  const notes = torn ? [`${torn}: the write in progress when MotorTwin stopped was not saved; every stored telemetry row is there`] : [];
  return { warnings: [], lostRows: null, notes };
}
