import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutate, mutationArb, telemetryArb } from '../../../tests/support/protocolArbitraries';
import { telemetrySchema } from './schemas';
import { READING_NAMES } from '../readings';
import { wellFormedTelemetry } from './telemetryFastPath';

// The fast path must never decide differently from telemetrySchema: whatever it accepts, zod accepts with
// the same fields, values (-0 included) and order; whatever else, it leaves to zod.

const NOW = Date.UTC(2026, 10, 27, 12);
/** The fields the fast path reads, in the order it writes them. */
const FIELDS = ['device_id', 'timestamp', 'seq', ...READING_NAMES];

/** Checks one object against zod; returns whether the fast path took it. */
function agrees(obj: Record<string, unknown>): boolean {
  const fast = wellFormedTelemetry(obj);
  if (fast === undefined) return false;
  const zod = telemetrySchema.safeParse(obj);
  expect(zod.success, JSON.stringify(obj)).toBe(true);
  expect(Object.entries(fast)).toEqual(Object.entries(zod.data!));
  return true;
}

/** Values a field of a telemetry object may hold besides well-formed ones (not only what JSON can carry). */
const oddValue = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 0, 1.5, -1, 2 ** 53, 2 ** 53 - 1, '', '12', 'motor 1', 'a'.repeat(65), true, [], {}, [1], { x: 1 }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 70 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const fieldEdit = fc.tuple(fc.constantFrom(...FIELDS, 'extra', 'type'), fc.option(oddValue, { nil: 'delete' as const }));

describe('the telemetry fast path', () => {
  it('knows the fields of telemetrySchema, in its order (a new field must be added to it too)', () => {
    expect(FIELDS).toEqual(Object.keys(telemetrySchema.shape));
  });

  it('takes every valid message, as zod reads it', () => {
    fc.assert(fc.property(telemetryArb(NOW), (t) => {
        expect(agrees(t)).toBe(true);
      }), { numRuns: 1000 });
  });

  it('accepts nothing zod refuses, and nothing differently, whatever a field holds', () => {
    fc.assert(
      fc.property(telemetryArb(NOW), fc.array(fieldEdit, { minLength: 1, maxLength: 4 }), (t, edits) => {
        const obj: Record<string, unknown> = { ...t };
        for (const [field, value] of edits) {
          if (value === 'delete') delete obj[field];
          else obj[field] = value;
        }
        agrees(obj);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with zod on mutated JSON messages', () => {
    fc.assert(
      fc.property(telemetryArb(NOW), fc.array(mutationArb, { maxLength: 3 }), (t, mutations) => {
        let obj: unknown;
        try {
          obj = JSON.parse(mutate(t, mutations).toString());
        } catch {
          return; // Not JSON: the decoder refuses it before any schema.
        }
        if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) agrees(obj as Record<string, unknown>);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with zod on the golden vectors, and takes the valid ones', () => {
    const dir = fileURLToPath(new URL('../../../resources/protocol-vectors/', import.meta.url));
    const vectors = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Array<{ kind: string; transport: string; raw: string; valid: boolean }>)
      .filter((v) => v.kind === 'telemetry' && v.transport === 'mqtt');
    expect(vectors.length).toBeGreaterThan(5);
    for (const v of vectors) {
      let obj: unknown;
      try {
        obj = JSON.parse(v.raw);
      } catch {
        continue; // Not JSON: refused before any schema.
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) continue;
      const taken = agrees(obj as Record<string, unknown>);
      if (v.valid) expect(taken, v.raw).toBe(true);
    }
  });
});
