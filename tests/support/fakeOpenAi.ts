import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

// An OpenAI-compatible server on loopback, so the real @langchain/openai client and the agent loop run end to
// end in tests: /v1/chat/completions with and without SSE streaming and with tool calls, and /v1/embeddings.
// What the "model" answers is a function of the request (a brain), so each test scripts its own model.

export interface FakeChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface FakeRequest {
  model: string;
  messages: FakeChatMessage[];
  tools: string[];
  stream: boolean;
}

/** One model turn: text, tool calls (arguments as an object, or a raw string to send it malformed), or both. */
export interface FakeTurn {
  content?: string;
  toolCalls?: Array<{ name: string; args: Record<string, unknown> | string }>;
}

export type FakeBrain = (req: FakeRequest) => FakeTurn | Promise<FakeTurn>;

export interface FakeOpenAiOptions {
  brain?: FakeBrain;
  /** When set, requests without `Authorization: Bearer <apiKey>` get the 401 OpenAI sends for a wrong key. */
  apiKey?: string;
  /** Wait before answering (a slow model). */
  delayMs?: number;
  /** Wait between streamed chunks. */
  chunkDelayMs?: number;
  embeddingDims?: number;
}

export interface FakeOpenAi {
  /** Base URL including /v1, as an OpenAI-compatible server is configured. */
  url: string;
  requests: Array<{ path: string; body: unknown; authorization: string | undefined }>;
  options: FakeOpenAiOptions;
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: (e as Error).message, type: 'server_error' } }));
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    requests.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (options.delayMs) await sleep(options.delayMs);
    if (req.method === 'POST' && req.url === '/v1/embeddings') return embeddings(res, body as { input: string | string[] });
    if (req.method === 'POST' && req.url === '/v1/chat/completions') return chat(res, body as ChatBody);
    if (req.method === 'GET' && req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model' }] });
    json(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
  }

  async function chat(res: ServerResponse, body: ChatBody): Promise<void> {
    const request: FakeRequest = {
      model: body.model,
      messages: body.messages,
      tools: (body.tools ?? []).map((t) => t.function.name),
      stream: body.stream === true,
    };
    const turn = await (options.brain ?? echoBrain)(request);
    const calls = (turn.toolCalls ?? []).map((c, i) => ({
      id: `call_${Math.random().toString(36).slice(2, 10)}_${i}`,
      type: 'function' as const,
      function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) },
    }));
    const finish = calls.length ? 'tool_calls' : 'stop';
    const base = { id: `chatcmpl-${Date.now()}`, created: Math.floor(Date.now() / 1000), model: body.model };
    const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
    if (!request.stream) {
      return json(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: turn.content ?? null, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: finish }],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = async (delta: Record<string, unknown>, finishReason: string | null = null) => {
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
      if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
    };
    await send({ role: 'assistant', content: '' });
    for (const piece of splitWords(turn.content ?? '')) await send({ content: piece });
    for (const [index, c] of calls.entries()) {
      await send({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] });
      for (const piece of splitEvery(c.function.arguments, 12)) await send({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
    await send({}, finish);
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  function embeddings(res: ServerResponse, body: { input: string | string[] }): void {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    json(res, 200, {
      object: 'list',
      model: 'fake-embedding',
      data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: hashedEmbedding(String(text), options.embeddingDims ?? 64) })),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface ChatBody {
  model: string;
  messages: FakeChatMessage[];
  tools?: Array<{ function: { name: string } }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

/** Answers with the last user message; the simplest model there is. */
const echoBrain: FakeBrain = (req) => ({ content: `You said: ${[...req.messages].reverse().find((m) => m.role === 'user')?.content ?? ''}` });

/** A bag of hashed words: similar texts get similar vectors, with no model at all. */
export function hashedEmbedding(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    v[Math.abs(h) % dims] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (d) => (data += d));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch (e) {
        reject(e as Error);
      }
    });
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const splitWords = (s: string) => s.match(/\S+\s*|\s+/g) ?? [];
const splitEvery = (s: string, n: number) => (s.length ? (s.match(new RegExp(`[\\s\\S]{1,${n}}`, 'g')) ?? []) : ['']);

/** The text of the tool results since the last user message: what a model "read". */
export function toolResultsOf(req: FakeRequest): Array<{ name: string; content: string }> {
  const lastUser = req.messages.map((m) => m.role).lastIndexOf('user');
  const callNames = new Map<string, string>();
  for (const m of req.messages) for (const c of m.tool_calls ?? []) callNames.set(c.id, c.function.name);
  return req.messages
    .slice(lastUser + 1)
    .filter((m) => m.role === 'tool')
    .map((m) => ({ name: callNames.get(m.tool_call_id ?? '') ?? '?', content: String(m.content ?? '') }));
}

export const lastUserText = (req: FakeRequest) => String([...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '');
