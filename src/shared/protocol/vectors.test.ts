import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeCommand, decodeDeviceMessage, decodeSerialLine } from './decode';
import { parseTopic } from './topics';

// The golden vectors in resources/protocol-vectors/ are shared with the firmware, whose host tests
// (firmware/test/vectors_test.cpp) check its C++ core against the same files: both ends of the wire agree.

interface Vector {
  description: string;
  kind: 'telemetry' | 'status' | 'waveform' | 'ack' | 'log' | 'command';
  direction: 'device_to_host' | 'host_to_device';
  transport: 'mqtt' | 'serial';
  topic?: string;
  raw: string;
  valid: boolean;
  expected?: unknown;
  reason?: string;
}

/** The clock the vectors were written against (see the folder's README): timestamps are judged from it. */
const NOW = Date.UTC(2026, 0, 15, 10, 20, 0);
const dir = fileURLToPath(new URL('../../../resources/protocol-vectors/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

type Outcome = { ok: true; value: unknown } | { ok: false; reason: string };

function decode(v: Vector): Outcome {
  if (v.kind === 'command') return decodeCommand(v.raw);
  if (v.transport === 'serial') {
    const r = decodeSerialLine(v.raw, undefined, NOW);
    if (r.kind === 'message') return { ok: true, value: r.message };
    return { ok: false, reason: r.kind === 'rejected' ? r.reason : `text: not a JSON line` };
  }
  const topic = parseTopic(v.topic ?? '');
  if (!topic) return { ok: false, reason: `topic: ${v.topic} is not a device topic` };
  expect(topic.kind).toBe(v.kind);
  return decodeDeviceMessage(topic.kind, v.raw, topic.deviceId, NOW);
}

describe('golden protocol vectors', () => {
  it('has vector files covering every message kind, valid and invalid', () => {
    const all = files.flatMap((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Vector[]);
    for (const kind of ['telemetry', 'status', 'waveform', 'ack', 'log', 'command']) {
      expect(all.some((v) => v.kind === kind && v.valid), `a valid ${kind}`).toBe(true);
      expect(all.some((v) => v.kind === kind && !v.valid), `an invalid ${kind}`).toBe(true);
    }
  });

  describe.each(files)('%s', (file) => {
    const vectors = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Vector[];
    it.each(vectors.map((v) => [v.description, v] as const))('%s', (_description, v) => {
      expect(v.direction).toBe(v.kind === 'command' ? 'host_to_device' : 'device_to_host');
      const r = decode(v);
      if (v.valid) {
        expect(r).toEqual({ ok: true, value: v.expected });
      } else {
        expect(r.ok).toBe(false);
        expect(!r.ok && r.reason).toContain(v.reason);
      }
    });
  });
});
