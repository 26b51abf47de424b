import { timestampValue } from '@duckdb/node-api';
import type { RejectedMessage } from '../../shared/contract';
import type { MotorDatabase } from './database';
import { PacedFlush } from '../platform/pacedFlush';
import { discardAppender } from './appender';

const PAYLOAD_EXCERPT = 512;
const KEEP_IN_MEMORY = 1000;
/** Rejections are stored at most this long after they came (a flood is one batch), with no timer while none come. */
const FLUSH_EVERY_MS = 2000;

/**
 * Rejected messages: counted, kept in memory for the UI, and stored (in batches, so a flood of bad input
 * costs no more than good input) with the raw payload cut short.
 */
export class RejectedLog {
  private readonly recent: RejectedMessage[] = [];
  private unsaved: RejectedMessage[] = [];
  total = 0;

  private readonly paced: PacedFlush | null;

  /** `onFlushError`: a batch the file refused (logged by the engine; the next batch tries again). */
  constructor(
    private readonly db: MotorDatabase | null,
    onFlushError: (e: unknown) => void = () => undefined,
  ) {
    this.paced = db ? new PacedFlush(FLUSH_EVERY_MS, () => void this.flush().catch(onFlushError)) : null;
  }

  add(entry: Omit<RejectedMessage, 'payload'> & { payload: string | Uint8Array }): RejectedMessage {
    const payload = typeof entry.payload === 'string' ? entry.payload : Buffer.from(entry.payload.subarray(0, PAYLOAD_EXCERPT * 4)).toString('utf8');
    const msg: RejectedMessage = { ...entry, payload: excerpt(payload) };
    this.total++;
    this.recent.push(msg);
    if (this.recent.length > KEEP_IN_MEMORY) this.recent.splice(0, this.recent.length - KEEP_IN_MEMORY);
    if (this.unsaved.length < 10_000) this.unsaved.push(msg);
    this.paced?.poke();
    return msg;
  }

  list(limit: number): RejectedMessage[] {
    return this.recent.slice(-limit).reverse();
  }

  async load(limit = KEEP_IN_MEMORY): Promise<void> {
    if (!this.db) return;
    const rows = await this.db.query(
      'SELECT epoch_ms(ts)::DOUBLE AS ts, device_id, source, topic, reason, payload FROM rejected ORDER BY ts DESC LIMIT $1',
      [limit],
    );
    for (const r of rows.reverse()) {
      this.recent.push({ ts: Number(r.ts), deviceId: (r.device_id as string | null) ?? null, source: String(r.source), topic: String(r.topic), reason: String(r.reason), payload: String(r.payload) });
    }
  }

  /** Stores what is left; nothing is scheduled after. */
  close(): Promise<void> {
    this.paced?.close();
    return this.flush();
  }

  async flush(): Promise<void> {
    if (!this.db || this.unsaved.length === 0) return;
    const batch = this.unsaved;
    this.unsaved = [];
    const appender = await this.db.writer.createAppender('rejected');
    try {
      for (const m of batch) {
        appender.appendTimestamp(timestampValue(BigInt(Math.round(m.ts)) * 1000n));
        if (m.deviceId === null) appender.appendNull();
        else appender.appendVarchar(m.deviceId);
        appender.appendVarchar(m.source);
        appender.appendVarchar(m.topic);
        appender.appendVarchar(m.reason);
        appender.appendVarchar(m.payload);
        appender.endRow();
      }
      appender.flushSync();
    } catch (e) {
      // The batch is given up (see onFlushError); the broken appender must not write it later on its own.
      discardAppender(appender);
      throw e;
    }
    appender.closeSync();
  }
}

/** Cuts a payload for display: control characters made visible, at most PAYLOAD_EXCERPT characters. */
export function excerpt(payload: string): string {
  const visible = payload.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD');
  return visible.length > PAYLOAD_EXCERPT ? `${visible.slice(0, PAYLOAD_EXCERPT)}… (${payload.length} characters)` : visible;
}
