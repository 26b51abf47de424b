import { addTopicRoute } from '../ingest/mqttIngest';
import type { IngestPipeline } from '../ingest/pipeline';
import type { MotorDatabase } from '../store/database';
import type { TwinRegistry } from '../twin/twinRegistry';
import { SparkplugMappings } from './mappingStore';
import { SparkplugHost, type SparkplugCodec } from './sparkplugHost';
import type { Log } from '../platform/log';

/** The Sparkplug B host: spBv1.0/# on every broker the engine reads goes to it, ahead of the JSON decoder. */
export function wireSparkplug(ports: {
  pipeline: IngestPipeline;
  twins: TwinRegistry;
  db: MotorDatabase;
  /** Loads the Sparkplug B codec (codec.ts) when the first Sparkplug message comes. */
  codec: () => Promise<SparkplugCodec>;
  /** QoS 0 over the broker the edge node is heard on (BrokerLinks.publishSparkplug). */
  publish: (topic: string, payload: Uint8Array) => Promise<void>;
  log: Log;
}): SparkplugHost {
  const host = new SparkplugHost({
    pipeline: ports.pipeline,
    twins: ports.twins,
    mappings: new SparkplugMappings(ports.db),
    codec: ports.codec,
    publish: ports.publish,
    log: ports.log,
  });
  addTopicRoute(ports.pipeline, host.route);
  return host;
}
