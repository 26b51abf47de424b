import type { Engine } from '../engine';
import { addTopicRoute } from '../ingest/mqttIngest';
import { SparkplugMappings } from './mappingStore';
import { SparkplugHost } from './sparkplugHost';

/** The Sparkplug B host: spBv1.0/# on every broker the engine reads goes to it, ahead of the JSON decoder. */
export function wireSparkplug(engine: Engine): SparkplugHost {
  const host = new SparkplugHost({
    pipeline: engine.pipeline,
    twins: engine.twins,
    mappings: new SparkplugMappings(engine.db),
    publish: (topic, payload) => publish(engine, topic, payload),
    log: (line) => console.error(line),
  });
  addTopicRoute(engine.pipeline, host.route);
  return host;
}

/**
 * QoS 0 (Sparkplug's commands are) to the embedded broker and the external one: an edge node heard on
 * either is asked, and a broker without that node delivers to no one.
 */
async function publish(engine: Engine, topic: string, payload: Uint8Array): Promise<void> {
  const sent: Array<Promise<unknown>> = [];
  if (engine.broker) sent.push(engine.broker.publish(topic, payload, 0));
  const client = engine.mqttClient();
  if (client?.connected) sent.push(client.publishAsync(topic, Buffer.from(payload), { qos: 0 }));
  if (!sent.length) throw new Error('no broker is connected');
  await Promise.all(sent);
}
