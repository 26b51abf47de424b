import { describe, expect, it } from 'vitest';
import { SparkplugHostState, metricValue, type DeviceSession, type MetricDef, type SparkplugSink } from './hostState';
import { parseSparkplugTopic, type SparkplugTopic } from './topic';
import { decodeSparkplugPayload, encodeSparkplugPayload, type SparkplugPayload } from './codec';

/** Records what the host concluded, in order. */
function recorder() {
  const seen: string[] = [];
  const values: Array<{ key: string; metrics: Record<string, unknown> }> = [];
  const sink: SparkplugSink = {
    metrics: (d: DeviceSession, _ts, ms: MetricDef[]) => values.push({ key: d.key, metrics: Object.fromEntries(ms.map((m) => [m.name, metricValue(m)])) }),
    online: (d) => seen.push(`online ${d.key}`),
    offline: (d) => seen.push(`offline ${d.key}`),
    reject: (d, reason) => seen.push(`reject ${d?.key ?? '-'}: ${reason}`),
    rebirth: (g, n, reason) => seen.push(`rebirth ${g}/${n}: ${reason}`),
  };
  return { sink, seen, values };
}

const topic = (t: string): SparkplugTopic => {
  const p = parseSparkplugTopic(t);
  if (p.ok !== true) throw new Error(t);
  return p.value;
};
// Through the real codec, as the broker would hand it over.
const wire = (p: SparkplugPayload) => decodeSparkplugPayload(encodeSparkplugPayload(p));

const nbirth = (seq: number, bdSeq: number) => wire({ timestamp: Date.now(), seq, metrics: [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }, { name: 'Node Control/Rebirth', type: 'Boolean', value: false }] });
const dbirth = (seq: number) =>
  wire({ timestamp: Date.now(), seq, metrics: [{ name: 'Motor/Temperature', alias: 1, type: 'Float', value: 60 }, { name: 'Speed', alias: 2, type: 'Int32', value: 1480 }] });
const ddata = (seq: number, metrics: SparkplugPayload['metrics']) => wire({ timestamp: Date.now(), seq, metrics });

function bornLine(rebirthMs = 0) {
  const r = recorder();
  const host = new SparkplugHostState(r.sink, rebirthMs);
  host.handle(topic('spBv1.0/plant/NBIRTH/edge1'), nbirth(0, 7), 1);
  host.handle(topic('spBv1.0/plant/DBIRTH/edge1/pump3'), dbirth(1), 2);
  return { host, ...r };
}

describe('Sparkplug host state', () => {
  it('reads data messages by the aliases their births defined', () => {
    const { host, values, seen } = bornLine();
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(2, [{ alias: 1, type: 'Float', value: 71.5 }]), 3);
    expect(seen).toEqual(['online plant/edge1', 'online plant/edge1/pump3']);
    expect(values.at(-1)).toEqual({ key: 'plant/edge1/pump3', metrics: { 'Motor/Temperature': 71.5 } });
    expect(values[1].metrics['Speed']).toBe(1480);
  });

  it('follows seq round past 255 without asking for a rebirth', () => {
    const { host, seen } = bornLine();
    for (let i = 2; i < 600; i++) host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(i % 256, [{ alias: 2, type: 'Int32', value: i }]), i);
    expect(seen.filter((s) => s.startsWith('rebirth'))).toEqual([]);
  });

  it('asks for a rebirth on a seq gap, at most once per interval, and keeps reading', () => {
    const r = recorder();
    const host = new SparkplugHostState(r.sink, 5_000);
    host.handle(topic('spBv1.0/plant/NBIRTH/edge1'), nbirth(0, 7), 1);
    host.handle(topic('spBv1.0/plant/DBIRTH/edge1/pump3'), dbirth(1), 2);
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(5, [{ alias: 1, type: 'Float', value: 70 }]), 1000);
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(9, [{ alias: 1, type: 'Float', value: 71 }]), 2000);
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(20, [{ alias: 1, type: 'Float', value: 72 }]), 7000);
    expect(r.seen.filter((s) => s.startsWith('rebirth'))).toEqual(['rebirth plant/edge1: seq gap: expected 2, got 5', 'rebirth plant/edge1: seq gap: expected 10, got 20']);
    expect(r.values.at(-1)?.metrics).toEqual({ 'Motor/Temperature': 72 });
  });

  it('refuses data before the birth with a reason and asks for a rebirth', () => {
    const r = recorder();
    const host = new SparkplugHostState(r.sink, 0);
    host.handle(topic('spBv1.0/plant/DDATA/edge9/fan'), ddata(4, [{ alias: 1, type: 'Float', value: 1 }]), 1);
    expect(r.seen).toEqual(["reject plant/edge9/fan: sparkplug: DDATA before the node's NBIRTH; rebirth requested", 'rebirth plant/edge9: DDATA before NBIRTH']);
    // Node born, device not yet.
    host.handle(topic('spBv1.0/plant/NBIRTH/edge9'), nbirth(0, 1), 2);
    host.handle(topic('spBv1.0/plant/DDATA/edge9/fan'), ddata(1, [{ alias: 1, type: 'Float', value: 1 }]), 3);
    expect(r.seen.slice(-2)).toEqual(["reject plant/edge9/fan: sparkplug: DDATA before the device's DBIRTH; rebirth requested", 'rebirth plant/edge9: DDATA before DBIRTH of fan']);
    expect(r.values).toEqual([{ key: 'plant/edge9', metrics: { bdSeq: expect.anything(), 'Node Control/Rebirth': false } }]);
  });

  it('refuses metrics of unknown alias, keeps the known ones of the same message', () => {
    const { host, seen, values } = bornLine();
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(2, [{ alias: 1, type: 'Float', value: 66 }, { alias: 42, type: 'Float', value: 1 }]), 3);
    expect(seen).toContain('reject plant/edge1/pump3: sparkplug: DDATA metric alias 42 not in the DBIRTH; rebirth requested');
    expect(values.at(-1)?.metrics).toEqual({ 'Motor/Temperature': 66 });
  });

  it('refuses a birth with a duplicate name or alias; the device stays unreadable until a good birth', () => {
    const { host, seen, values } = bornLine();
    const before = values.length;
    const dup = wire({ seq: 2, metrics: [{ name: 'Current', alias: 1, type: 'Float', value: 1 }, { name: 'Current', alias: 2, type: 'Float', value: 2 }] });
    host.handle(topic('spBv1.0/plant/DBIRTH/edge1/pump3'), dup, 3);
    expect(seen.at(-1)).toBe('reject plant/edge1/pump3: sparkplug: DBIRTH refused: duplicate metric name "Current"');
    const dupAlias = wire({ seq: 3, metrics: [{ name: 'A', alias: 5, type: 'Float', value: 1 }, { name: 'B', alias: 5, type: 'Float', value: 2 }] });
    host.handle(topic('spBv1.0/plant/DBIRTH/edge1/pump3'), dupAlias, 4);
    expect(seen.at(-1)).toBe('reject plant/edge1/pump3: sparkplug: DBIRTH refused: alias 5 given to both "A" and "B"');
    host.handle(topic('spBv1.0/plant/DDATA/edge1/pump3'), ddata(4, [{ alias: 1, type: 'Float', value: 1 }]), 5);
    expect(seen.at(-1)).toMatch(/^rebirth plant\/edge1: DDATA before DBIRTH/);
    expect(values.length).toBe(before);
  });

  it('takes a device offline on DDEATH, and the node with all its devices on its own NDEATH only', () => {
    const { host, seen } = bornLine();
    host.handle(topic('spBv1.0/plant/DBIRTH/edge1/fan2'), dbirth(2), 3);
    host.handle(topic('spBv1.0/plant/DDEATH/edge1/fan2'), wire({ seq: 3 }), 4);
    expect(seen.at(-1)).toBe('offline plant/edge1/fan2');
    // A will left by an earlier session (bdSeq 6) is not this session's death.
    host.handle(topic('spBv1.0/plant/NDEATH/edge1'), wire({ metrics: [{ name: 'bdSeq', type: 'UInt64', value: 6 }] }), 5);
    expect(seen.at(-1)).toBe('offline plant/edge1/fan2');
    host.handle(topic('spBv1.0/plant/NDEATH/edge1'), wire({ metrics: [{ name: 'bdSeq', type: 'UInt64', value: 7 }] }), 6);
    expect(seen.slice(-2)).toEqual(['offline plant/edge1', 'offline plant/edge1/pump3']);
    expect(host.nodes.get('plant/edge1')?.born).toBe(false);
  });
});

describe('Sparkplug topics', () => {
  it('reads node and device topics, lets commands and STATE pass, names what is wrong', () => {
    expect(parseSparkplugTopic('spBv1.0/g/DDATA/n/d')).toEqual({ ok: true, value: { group: 'g', type: 'DDATA', node: 'n', device: 'd', nodeKey: 'g/n', key: 'g/n/d' } });
    expect(parseSparkplugTopic('spBv1.0/g/NCMD/n')).toEqual({ ok: 'ignore' });
    expect(parseSparkplugTopic('spBv1.0/STATE/host1')).toEqual({ ok: 'ignore' });
    expect(parseSparkplugTopic('spBv1.0/g/DDATA/n')).toEqual({ ok: false, reason: 'sparkplug topic: DDATA needs spBv1.0/<group>/DDATA/<node>/<device>' });
    expect(parseSparkplugTopic('spBv1.0/g/XDATA/n')).toMatchObject({ ok: false, reason: expect.stringContaining('"XDATA" is not') });
  });
});
