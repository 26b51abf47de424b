import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/shared/agentContract';
import { startServe } from '../support/cli';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi';
import { startSeqBoard, type SeqBoard } from '../support/seqBoard';
import { stopProcess, tempDir, waitFor } from '../support/tools';
import { connectWs } from '../support/wsClient';

const TIMEOUT_S = 2;
// The chat must give its answer within the model timeout plus room for a loaded two-core machine.
const BOUND_MS = TIMEOUT_S * 1000 + 10_000;

/** A server that accepts the connection and then says nothing at all. */
async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

// `motortwin serve` with a board streaming into it, asked a question while its model server is down,
// silent, or stalls halfway through an answer. Each chat ends within the bound with a message that
// says what happened, and meanwhile ingest goes on and /api/health stays ok.
describe('fault: the language model server is down or hanging', () => {
  let serve: Awaited<ReturnType<typeof startServe>>;
  let board: SeqBoard;
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let stalling: FakeOpenAi;

  beforeAll(async () => {
    serve = await startServe(['--data-dir', tempDir(), '--no-sim']);
    board = await startSeqBoard(serve.mqttUrl, 'motor_01', { everyMs: 20 });
    hole = await blackHole();
    // Sends the first chunk of a streamed answer, then nothing for two minutes.
    stalling = await startFakeOpenAi({ chunkDelayMs: 120_000, brain: () => ({ content: 'The motor is fine.' }) });
  }, 120_000);
  afterAll(async () => {
    await board?.stop(5000);
    await hole?.close();
    await stalling?.close();
    if (serve) await stopProcess(serve.child, 'SIGKILL');
  });

  const health = async () => (await (await fetch(`${serve.url}/api/health`)).json()) as { status: string; ingest: { stored: number } };

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    // Port 1 on loopback: nothing listens there, unlike a "free" port another test may take meanwhile.
    ['down (connection refused)', async () => 'http://127.0.0.1:1/v1', /cannot reach the model server at http:\/\/127\.0\.0\.1:1\/v1/],
    ['silent (accepts, never answers)', async () => hole.url, new RegExp(`did not answer within ${TIMEOUT_S} s \\(timeout\\)`)],
    ['stalling mid-answer', async () => stalling.url, new RegExp(`did not answer within ${TIMEOUT_S} s \\(timeout\\)`)],
  ];

  for (const [name, baseUrl, expected] of cases) {
    it(`${name}: the chat fails clearly in bounded time while ingest goes on`, async () => {
      const ui = await connectWs(serve.url);
      try {
        await ui.client.call('agent.configure', { baseUrl: await baseUrl(), timeoutS: TIMEOUT_S });
        await waitFor('motor_01 on the engine', async () => (await health()).ingest.stored > 0);
        const events: ChatEvent[] = [];
        ui.client.on('chat', (e) => events.push(e));
        const storedBefore = (await health()).ingest.stored;
        const t0 = Date.now();
        const { requestId } = await ui.client.call('chat.ask', { motorId: 'motor_01', question: 'Why is motor_01 running hot?' });
        const done = await waitFor('the chat to end', () => events.find((e) => e.requestId === requestId && e.type === 'done'), BOUND_MS + 5000, 20);
        const elapsed = Date.now() - t0;
        console.log(`model ${name}: chat ended after ${elapsed} ms`);
        expect(elapsed).toBeLessThan(BOUND_MS);
        if (done.type !== 'done') throw new Error('unreachable');
        expect(done.message.mode).toBe('error');
        expect(done.message.content).toMatch(expected);
        const after = await health();
        expect(after.status).toBe('ok');
        expect(after.ingest.stored).toBeGreaterThan(storedBefore);
      } finally {
        ui.close();
      }
    }, 60_000);
  }
});
