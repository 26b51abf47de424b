import { z } from 'zod';

// A list result is checked record by record: one record the schema refuses (a twin stored before its id was
// checked, an alarm of a newer engine) is dropped and named, and the rest still reach the screen. Every
// other result stays all or nothing.

export interface DroppedRecord {
  /** Its place in the list the engine sent. */
  index: number;
  /** Its id (or device id) as sent, cut short, when it has one. */
  id: string | null;
  reason: string;
}

const SHOWN_ID = 64;

export type ParsedResult = { ok: true; value: unknown; dropped: DroppedRecord[] | null } | { ok: false; reason: string };

/** Validates a result against its schema; `dropped` is null for a result that is not a list. */
export function parseResult(schema: z.ZodType, value: unknown): ParsedResult {
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    const kept: unknown[] = [];
    const dropped: DroppedRecord[] = [];
    value.forEach((record: unknown, index) => {
      const r = (schema.element as z.ZodType).safeParse(record);
      if (r.success) kept.push(r.data);
      else dropped.push({ index, id: recordId(record), reason: issueText(r.error) });
    });
    return { ok: true, value: kept, dropped };
  }
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data, dropped: null } : { ok: false, reason: issueText(r.error) };
}

/** The first issue as "path: message", the way the engine's own validation errors read. */
function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

function recordId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const { id, deviceId } = record as { id?: unknown; deviceId?: unknown };
  const named = typeof id === 'string' ? id : typeof deviceId === 'string' ? deviceId : null;
  return named !== null && named.length > SHOWN_ID ? `${named.slice(0, SHOWN_ID)}…` : named;
}
