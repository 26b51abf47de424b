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
    publish: (topic, payload) => engine.links.publishSparkplug(topic, payload),
    log: (line) => console.error(line),
  });
  addTopicRoute(engine.pipeline, host.route);
  return host;
}
