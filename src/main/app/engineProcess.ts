import { createEngine, type Engine } from '../engine';
import { serveChannel } from '../rpc/serveChannel';
import { onNewCriticalAlarm } from '../health/wireHealth';
import type { Channel } from '../../shared/rpc/envelope';
import { commandAlert } from '../../shared/alertRule';
import { z } from 'zod';
import type { SecretKeeper } from '../agent/modelSettings';
import { shellPdfPrinter } from './pdfBridge';
import { createLog } from '../platform/log';
import { keepHeapQuietWhenIdle } from '../platform/quietHeap';

// Entry of the Electron utility process: the engine, in plain Node. The main process sends the
// configuration once, then one MessagePort per window; each port carries the contract.

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: MessagePortLike[] }) => void): void;
  postMessage(message: unknown): void;
}
interface MessagePortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

const llmKeySchema = z.object({ key: z.string().nullable(), source: z.enum(['os-encrypted', 'plain-text', 'session']), warning: z.string().nullable() });
const startSchema = z.object({ type: z.literal('start'), dataDir: z.string().min(1), mqttPort: z.number().int().min(0).max(65535), llmKey: llmKeySchema.optional() });
const connectSchema = z.object({ type: z.literal('connect') });

keepHeapQuietWhenIdle();
const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort;
let engine: Promise<Engine> | null = null;

parentPort.on('message', (e) => {
  const start = startSchema.safeParse(e.data);
  if (start.success && !engine) {
    engine = createEngine({
      dataDir: start.data.dataDir,
      broker: { mode: 'embedded', host: '127.0.0.1', port: start.data.mqttPort },
      simulate: [{ id: 'motor_01' }],
      agent: { secrets: keychainKeeper(start.data.llmKey) },
      plantClient: true,
      // JSON lines on stderr: the main process writes them to the app's rotated log file.
      log: createLog({ format: 'json' }),
    });
    engine.then(
      (eng) => {
        // Report PDFs through Electron's printToPDF in the main process rather than a separate Chromium.
        eng.benchtest.printer = shellPdfPrinter({ send: (m) => parentPort.postMessage(m), subscribe: (listener) => parentPort.on('message', (m) => listener(m.data)) });
        parentPort.postMessage({ type: 'ready' });
        onNewCriticalAlarm(eng, (n) => parentPort.postMessage({ type: 'notify', ...n }));
        // Proposals waiting for a person and commands that did not apply reach the desktop too (shared/alertRule.ts).
        eng.on('command', (c) => {
          const a = commandAlert(c);
          if (a?.desktop) parentPort.postMessage({ type: 'notify', title: a.title, body: a.body, motorId: a.motorId });
        });
      },
      (err: Error) => parentPort.postMessage({ type: 'failed', message: err.message }),
    );
    return;
  }
  if (connectSchema.safeParse(e.data).success && engine && e.ports[0]) {
    const port = e.ports[0];
    void engine.then((eng) => {
      serveChannel(eng, portChannel(port));
      port.start();
    });
  }
});

/** The API key as the main process keeps it (OS keychain); a new key goes back there to be stored. */
function keychainKeeper(stored: z.infer<typeof llmKeySchema> | undefined): SecretKeeper {
  let key = stored?.key ?? process.env.OPENAI_API_KEY ?? null;
  const persisted = stored?.source ?? 'session';
  let source: SecretKeeper['source'] = stored?.key ? persisted : process.env.OPENAI_API_KEY ? 'environment' : 'none';
  return {
    get source() {
      return source;
    },
    warning: stored?.warning ?? null,
    get: () => key,
    set: async (k) => {
      key = k;
      source = k ? persisted : 'none';
      parentPort.postMessage({ type: 'llmKey', key: k });
    },
  };
}

function portChannel(port: MessagePortLike): Channel {
  return {
    send: (m) => port.postMessage(m),
    onMessage: (listener) => {
      port.on('message', (e) => listener(e.data));
      return () => undefined;
    },
    onClose: (listener) => {
      port.on('close', listener);
      return () => undefined;
    },
  };
}

const shutdown = async () => {
  // Exiting either way: the engine logs each part that fails to close.
  if (engine) await (await engine).close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
