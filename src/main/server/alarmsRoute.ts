import type { Engine } from '../engine';
import { deviceIdSchema } from '../../shared/protocol/schemas';
import { DomainError } from '../platform/domainError';

// GET /api/alarms?device=ID: a motor's alarms as stored, oldest first, for scripts and other tools. Times are
// ISO 8601 (UTC), so an alarm replayed from imported history shows the time it happened, not the import's.

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export async function alarmsOf(engine: Engine, q: URLSearchParams): Promise<unknown[]> {
  const id = deviceIdSchema.safeParse(q.get('device') ?? q.get('id'));
  if (!id.success) throw new DomainError('invalid', `device: ${id.error.issues[0].message} (give ?device=ID)`);
  engine.twins.require(id.data);
  const rows = await engine.health.store.alarmsOf(id.data);
  return rows.map((r) => ({
    id: r.id,
    code: r.condition,
    severity: r.severity,
    state: r.state,
    source: r.source,
    message: r.message,
    raised_at: iso(r.raised_at),
    cleared_at: iso(r.cleared_at),
    acked_at: iso(r.acked_at),
    repeats: r.repeats,
  }));
}
