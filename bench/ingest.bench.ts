import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import mqtt from 'mqtt';
import { createEngine, type BrokerConfig } from '../src/main/engine';
import { startEmbeddedBroker } from '../src/main/broker/embeddedBroker';
import { freePort, startMosquitto, tempDir, waitFor } from '../tests/support/tools';
import { round, type Figure } from './figure';

const ROOT = resolve(import.meta.dirname, '..');

/** Starts the publisher process, waits until it is connected, then lets it go; resolves when it is done. */
async function publish(url: string, count: number, devices: number): Promise<void> {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/run-ts.js'), resolve(ROOT, 'bench/publisher.ts'), url, String(count), String(devices)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await waitFor('publisher connected', () => out.includes('ready'), 30_000);
  child.stdin.write('go\n');
  await new Promise((r) => child.once('exit', r));
}

/** Messages per second a bare mqtt.js subscriber receives from the broker at `url` (the baseline). */
async function bareSubscriberRate(url: string, count: number): Promise<number> {
  const sub = await mqtt.connectAsync(url, { clientId: `bench-bare-${process.pid}`, clean: true });
  await sub.subscribeAsync('factory/+/telemetry', { qos: 1 });
  let received = 0;
  let first = 0;
  let last = 0;
  sub.on('message', () => {
    if (received++ === 0) first = performance.now();
    last = performance.now();
  });
  await publish(url, count, 50);
  await waitFor('bare subscriber got everything', () => received >= count, 60_000, 10);
  await sub.endAsync();
  return (count - 1) / ((last - first) / 1000);
}

/** Messages per second through the engine: validated, deduplicated, applied to twins, committed to DuckDB. */
async function engineRate(broker: BrokerConfig, count: number): Promise<number> {
  const engine = await createEngine({ dataDir: tempDir('bench-ingest-'), broker });
  try {
    await waitFor('engine connected', () => engine.ingest?.state.connected, 10_000);
    let first = 0;
    engine.pipeline.once('telemetry', () => (first = performance.now()));
    const url = engine.brokerForClients().url;
    const storedAtStart = engine.status().ingest.stored;
    const receivedAtStart = engine.pipeline.counters.received;
    await publish(url, count, 50);
    await waitFor('engine received everything', () => engine.pipeline.counters.received - receivedAtStart >= count, 120_000, 5);
    // What is left goes now, as before a read of the history: the writer's clock commits once a second, and its
    // phase alone would add up to a second to a quick run of about one.
    await engine.writer.flush();
    await waitFor('engine stored everything', () => engine.status().ingest.stored - storedAtStart >= count, 120_000, 5);
    const last = performance.now();
    return (count - 1) / ((last - first) / 1000);
  } finally {
    await engine.close();
  }
}

export async function benchIngest(opts: { quick: boolean }): Promise<Figure[]> {
  const count = opts.quick ? 20_000 : 100_000;
  const figures: Figure[] = [];

  const bare = await startEmbeddedBroker({ host: '127.0.0.1', port: await freePort() });
  const bareEmbedded = await bareSubscriberRate(bare.url, count);
  await bare.close();
  const embedded = await engineRate({ mode: 'embedded', host: '127.0.0.1', port: await freePort() }, count);
  figures.push(ingestFigure('ingest_mqtt_to_duckdb_embedded', embedded, bareEmbedded));

  const mosquitto = await startMosquitto();
  try {
    const url = `mqtt://127.0.0.1:${mosquitto.port}`;
    const bareMosq = await bareSubscriberRate(url, count);
    const viaMosq = await engineRate({ mode: 'external', url, clientId: `bench-engine-${process.pid}` }, count);
    figures.push(ingestFigure('ingest_mqtt_to_duckdb_mosquitto', viaMosq, bareMosq));
  } finally {
    await mosquitto.stop();
  }
  return figures;
}

function ingestFigure(name: string, rate: number, baseline: number): Figure {
  const ratio = rate / baseline;
  return {
    name,
    value: Math.round(rate),
    unit: 'msg/s',
    baseline: Math.round(baseline),
    baselineName: 'bare mqtt.js subscriber, same broker and publisher',
    ratio: round(ratio),
    goal: '>= 10000 msg/s and >= 0.5 x bare subscriber',
    pass: rate >= 10_000 && ratio >= 0.5,
  };
}
