import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { z } from 'zod';
import { PORT_TAKEN_CHOICES, type PortTakenChoice } from '../../shared/brokerContract';
import type { Log } from '../platform/log';

/**
 * Whether an MQTT broker answers on host:port: a CONNACK of any kind (a refused login too) says so; a
 * program that closes, talks something else or stays silent for `timeoutMs` is not one.
 */
export function isMqttBroker(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const client = mqtt.connect({ host, port, protocol: 'mqtt', protocolVersion: 4, clientId: `motortwin-probe-${process.pid}-${Date.now()}`, reconnectPeriod: 0, connectTimeout: timeoutMs });
    const finish = (answer: boolean) => {
      client.removeAllListeners();
      // A probe's errors after its answer mean nothing to anyone: the socket is going away.
      client.on('error', () => undefined);
      client.end(true);
      resolve(answer);
    };
    client.once('connect', () => finish(true));
    client.once('error', (e) => finish(typeof (e as Error & { code?: unknown }).code === 'number'));
    client.once('close', () => finish(false));
  });
}

/** The desktop app's remembered answer to "the embedded broker's port is taken", in the data folder. */
export const brokerChoiceFile = (dataDir: string) => join(dataDir, 'broker-choice.json');

const choiceSchema = z.object({ whenPortTaken: z.enum(PORT_TAKEN_CHOICES) });

export function rememberedChoice(dataDir: string, log: Log): PortTakenChoice | null {
  let text: string;
  try {
    text = readFileSync(brokerChoiceFile(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: reported just below as a file that was not used.
    json = null;
  }
  const parsed = choiceSchema.safeParse(json);
  // A damaged file is no choice: the default holds, and the log says why the file was not used.
  if (!parsed.success) log.warn({ file: brokerChoiceFile(dataDir) }, `${brokerChoiceFile(dataDir)} ignored: expected {"whenPortTaken": "move" | "use"}`);
  return parsed.success ? parsed.data.whenPortTaken : null;
}

export function rememberChoice(dataDir: string, whenPortTaken: PortTakenChoice): string {
  const file = brokerChoiceFile(dataDir);
  writeFileSync(file, `${JSON.stringify({ whenPortTaken })}\n`);
  return file;
}
