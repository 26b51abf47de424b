import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Harness } from '../support/engineHarness';
import { startMosquitto, tempDir, waitFor, type Mosquitto } from '../support/tools';
import { TestEdgeNode } from '../support/sparkplugNode';
import { handlers } from '../../src/main/rpc/handlers';
import { methods } from '../../src/shared/contract';
import { encodeSparkplugPayload } from '../../src/main/sparkplug/codec';

// A Sparkplug B edge node on a real Mosquitto, the engine as the host application reading it.
const PUMP_METRICS = [
  { name: 'Motor/Temperature', alias: 1, type: 'Float' as const, value: 61.5 },
  { name: 'Current', alias: 2, type: 'Float' as const, value: 11.2 },
  { name: 'Speed', alias: 3, type: 'Int32' as const, value: 1470 },
  { name: 'Serial number', alias: 4, type: 'String' as const, value: 'P-0042' },
  { name: 'Winding/T1', alias: 5, type: 'Double' as const, value: 70.1 },
];

describe('Sparkplug B from a real Mosquitto', () => {
  let broker: Mosquitto;
  let h: Harness;
  let url: string;
  const dataDir = tempDir();
  beforeAll(async () => {
    broker = await startMosquitto();
    url = `mqtt://127.0.0.1:${broker.port}`;
    h = await startEngine({ broker: { mode: 'external', url, clientId: 'motortwin-sparkplug-test' }, dataDir });
    await waitFor('engine connected', () => h.engine.ingest?.state.connected);
  });
  afterAll(async () => {
    await h?.close();
    await broker?.stop();
  });

  it('turns a device into a twin with its metrics as readings, stored in the database', async () => {
    const node = new TestEdgeNode(url, 'plant', 'line1', 3);
    await node.connect();
    await node.nbirth();
    await node.dbirth('Pump 3', PUMP_METRICS);
    await node.ddata('Pump 3', [{ alias: 1, type: 'Float', value: 64.25 }, { alias: 3, type: 'Int32', value: 1482 }]);
    // "Pump 3" has a space: the twin id replaces it and carries a hash; the Sparkplug name is the display name.
    const id = await waitFor('the twin', () => h.engine.twins.all().find((t) => t.name === 'line1/Pump 3')?.id);
    expect(id).toMatch(/^line1\.Pump_3-[0-9a-f]{8}$/);
    await waitFor('the data message', () => h.engine.twins.get(id)?.readings.rpm?.value === 1482);
    const t = h.engine.twins.get(id)!;
    expect(t.readings.temperature?.value).toBe(64.25);
    expect(t.readings.current?.value).toBeCloseTo(11.2, 4);
    expect(t.connection).toBe('online');
    expect(t.device.board).toBe('Sparkplug B, group plant');
    await h.engine.drain();
    const rows = await h.engine.db.query('SELECT temperature, rpm, current FROM telemetry WHERE device_id = $1 ORDER BY ts', [id]);
    expect(rows.at(-1)).toMatchObject({ temperature: 64.25, rpm: 1482 });
    // The node itself (bdSeq, Node Control only) carries no reading: no twin for it.
    expect(h.engine.twins.get('line1')).toBeUndefined();

    // The mapping, edited as the UI does: "Winding/T1" is the temperature, the speed is not stored.
    const key = 'plant/line1/Pump 3';
    const listed = await handlers['sparkplug.list'](h.engine, {});
    expect(listed.find((d) => d.key === key)?.metrics.find((m) => m.name === 'Speed')).toMatchObject({ reading: 'rpm', mappedBy: 'default', value: '1482' });
    await handlers['sparkplug.setMapping'](h.engine, methods['sparkplug.setMapping'].params.parse({ key, mapping: { readings: { 'Winding/T1': 'temperature', 'Motor/Temperature': null, Speed: null } } }));
    await node.ddata('Pump 3', [{ alias: 5, type: 'Double', value: 88.5 }, { alias: 1, type: 'Float', value: 1 }, { alias: 3, type: 'Int32', value: 9 }]);
    await waitFor('the mapped reading', () => h.engine.twins.get(id)?.readings.temperature?.value === 88.5);
    expect(h.engine.twins.get(id)?.readings.rpm?.value).toBe(1482);
    const [stored] = await h.engine.db.query('SELECT mapping::VARCHAR AS m FROM sparkplug_mappings WHERE key = $1', [key]);
    expect(JSON.parse(String(stored.m)).readings['Winding/T1']).toBe('temperature');
    await node.close();
  });

  it('goes offline on DDEATH and NDEATH, back online on birth', async () => {
    const node = new TestEdgeNode(url, 'plant', 'line2', 1);
    await node.connect();
    await node.nbirth();
    await node.dbirth('fan', PUMP_METRICS);
    await node.dbirth('pump', PUMP_METRICS);
    await waitFor('both online', () => h.engine.twins.get('line2.fan')?.connection === 'online' && h.engine.twins.get('line2.pump')?.connection === 'online');
    await node.ddeath('fan');
    await waitFor('fan offline', () => h.engine.twins.get('line2.fan')?.connection === 'offline');
    expect(h.engine.twins.get('line2.pump')?.connection).toBe('online');
    await node.dbirth('fan', PUMP_METRICS);
    await waitFor('fan back', () => h.engine.twins.get('line2.fan')?.connection === 'online');
    await node.ndeath();
    await waitFor('all offline', () => h.engine.twins.get('line2.fan')?.connection === 'offline' && h.engine.twins.get('line2.pump')?.connection === 'offline');
  });

  it("goes offline on the broker's will when the edge node's link dies", async () => {
    const node = new TestEdgeNode(url, 'plant', 'line3', 5);
    await node.connect();
    await node.nbirth();
    await node.dbirth('mixer', PUMP_METRICS);
    await waitFor('online', () => h.engine.twins.get('line3.mixer')?.connection === 'online');
    node.killSocket();
    await waitFor('offline by the will', () => h.engine.twins.get('line3.mixer')?.connection === 'offline', 20_000);
  });

  it('asks the edge node to rebirth after a seq gap and after data before its birth', async () => {
    const node = new TestEdgeNode(url, 'plant', 'line4');
    await node.connect();
    await node.nbirth();
    await node.dbirth('press', PUMP_METRICS);
    await node.ddata('press', [{ alias: 2, type: 'Float', value: 12 }]);
    await waitFor('reading', () => h.engine.twins.get('line4.press')?.readings.current?.value === 12);
    expect(node.rebirthRequests).toHaveLength(0);
    node.skip(3);
    await node.ddata('press', [{ alias: 2, type: 'Float', value: 13 }]);
    await waitFor('a rebirth request', () => node.rebirthRequests.length === 1);
    // The data after the gap is still read: only its history before is in doubt.
    await waitFor('reading after gap', () => h.engine.twins.get('line4.press')?.readings.current?.value === 13);

    const late = new TestEdgeNode(url, 'plant', 'line5');
    await late.connect();
    await late.ddata('saw', [{ alias: 2, type: 'Float', value: 1 }]);
    await waitFor('a rebirth request for data before birth', () => late.rebirthRequests.length === 1);
    await waitFor('its reason under Rejected', () => h.engine.rejects.list(50).find((r) => r.topic === 'spBv1.0/plant/DDATA/line5/saw'));
    expect(h.engine.rejects.list(50).find((r) => r.topic === 'spBv1.0/plant/DDATA/line5/saw')?.reason).toBe("sparkplug: DDATA before the node's NBIRTH; rebirth requested");
    await node.close();
    await late.close();
  });

  it('rejects bad payloads with reasons and keeps reading the rest of the stream', async () => {
    const node = new TestEdgeNode(url, 'plant', 'line6');
    await node.connect();
    await node.nbirth();
    await node.dbirth('belt', PUMP_METRICS);
    await node.raw('DDATA', 'belt', Buffer.from([0xff, 0xff, 0xff]));
    node.skip(1);
    await node.ddata('belt', [{ alias: 2, type: 'Float', value: 9.5 }, { alias: 77, type: 'Float', value: 1 }]);
    await node.dbirth('dup', [{ name: 'Current', alias: 1, type: 'Float', value: 1 }, { name: 'Current', alias: 2, type: 'Float', value: 2 }]);
    await waitFor('three rejections', () => h.engine.rejects.list(100).filter((r) => r.topic.startsWith('spBv1.0/plant/') && r.topic.includes('/line6/')).length >= 3);
    const reasons = h.engine.rejects.list(100).filter((r) => r.topic.includes('/line6/')).map((r) => r.reason);
    expect(reasons).toContainEqual(expect.stringMatching(/^sparkplug: not a Sparkplug B payload \(/));
    expect(reasons).toContain('sparkplug: DDATA metric alias 77 not in the DBIRTH; rebirth requested');
    expect(reasons).toContain('sparkplug: DBIRTH refused: duplicate metric name "Current"');
    // The known metric of the message with the unknown alias is kept, and the stream goes on.
    await waitFor('reading kept', () => h.engine.twins.get('line6.belt')?.readings.current?.value === 9.5);
    await node.ddata('belt', [{ alias: 2, type: 'Float', value: 10.5 }]);
    await waitFor('next reading', () => h.engine.twins.get('line6.belt')?.readings.current?.value === 10.5);
    // Implausible readings are judged as for JSON telemetry.
    await node.ddata('belt', [{ alias: 1, type: 'Float', value: 5000 }]);
    await waitFor('range rejection', () => h.engine.rejects.list(100).find((r) => r.topic === 'spBv1.0/plant/DDATA/line6/belt' && r.reason.startsWith('range: temperature')));
    await node.close();
  });
});

describe('Sparkplug B through the embedded broker', () => {
  it('reads an edge node and asks it to rebirth over the same broker', async () => {
    const h = await startEngine();
    try {
      const node = new TestEdgeNode(h.brokerUrl, 'bench', 'cell1');
      await node.connect();
      await node.nbirth([{ name: 'Temperature', alias: 10, type: 'Float', value: 40 }]);
      // A node without devices whose own metrics are readings is a twin itself.
      await waitFor('node twin', () => h.engine.twins.get('cell1')?.readings.temperature?.value === 40);
      node.skip(2);
      await node.ndata([{ alias: 10, type: 'Float', value: 41 }]);
      await waitFor('rebirth over the embedded broker', () => node.rebirthRequests.length === 1);
      await waitFor('reading', () => h.engine.twins.get('cell1')?.readings.temperature?.value === 41);
      await h.publisher.publishAsync('spBv1.0/bench/NDATA/cell1', Buffer.from(encodeSparkplugPayload({ seq: 200, metrics: [{ alias: 10, type: 'Float', value: 42 }] })));
      await waitFor('second reading', () => h.engine.twins.get('cell1')?.readings.temperature?.value === 42);
      await node.close();
    } finally {
      await h.close();
    }
  });
});
