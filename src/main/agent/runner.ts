import { AIMessage, createAgent, ToolMessage, toolErrorMiddleware, type BaseMessage } from 'langchain';
import type { ChatMessage } from '../../shared/agentContract';
import { MalformedToolCallError, type ModelSettings } from './modelSettings';
import { chatModel } from './modelClient';
import { systemPrompt } from './prompt';
import { toolLabel, type ToolContext } from './tools';
import { createTools } from './modelTools';

// One answer from the language model: the LangChain agent with the twin's tools, streamed token by token.
// A tool call the model garbles (arguments that are not JSON) is answered with the error once so the model
// can correct itself; a second one ends the answer with a clear message.

export interface RunOptions {
  settings: ModelSettings;
  apiKey: string | null;
  ctx: ToolContext;
  motorName: string;
  history: ChatMessage[];
  question: string;
  signal: AbortSignal;
  onToken(text: string): void;
}

const HISTORY_MESSAGES = 12;
const PARAGRAPH = '\n\n';
const MAX_STEPS = 24;

type InvalidCall = { id?: string; name?: string; args?: string; error?: string };

export async function runAgent(o: RunOptions): Promise<string> {
  const agent = createAgent({
    model: chatModel(o.settings, o.apiKey),
    tools: createTools(o.ctx),
    systemPrompt: systemPrompt({ id: o.ctx.motorId, name: o.motorName }),
    middleware: [
      // Arguments that fail the tool's schema go back to the model as a short text, not a stack trace.
      toolErrorMiddleware({
        onError: (error, request) => {
          const name = request.toolCall.name;
          const args = (request.toolCall.args ?? {}) as Record<string, unknown>;
          o.ctx.step({ name, args, label: toolLabel(name, args, o.ctx.motorId), ok: false });
          return `Error: the arguments of ${name} are not valid: ${schemaMessage(error)}. Fix them and call ${name} again.`;
        },
      }),
    ],
  });
  const history = o.history
    .filter((m) => m.mode !== 'error')
    .slice(-HISTORY_MESSAGES)
    .map((m) => ({ role: m.role, content: m.content }));
  let messages: Array<BaseMessage | { role: string; content: string }> = [...history, { role: 'user', content: o.question }];
  // What the model said in earlier attempts (before a malformed call was answered).
  const said: string[] = [];
  let streamingId: string | undefined;
  const silence = silenceWatchdog(o.settings.timeoutS * 1000, o.signal);
  try {
    for (let attempt = 0; ; attempt++) {
      const done = await oneAttempt(attempt);
      if (done !== null) return done;
    }
  } catch (e) {
    if (silence.fired()) throw new Error(`the model stream timed out: nothing arrived for ${o.settings.timeoutS} s`);
    throw e;
  } finally {
    silence.stop();
  }

  async function oneAttempt(attempt: number): Promise<string | null> {
    const produced: BaseMessage[] = [];
    const stream = await agent.stream({ messages: messages as never }, { streamMode: ['messages', 'updates'], signal: silence.signal, recursionLimit: MAX_STEPS });
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      silence.heard();
      if (mode === 'messages') {
        const [msg, meta] = chunk as [BaseMessage, { langgraph_node?: string }];
        if (meta?.langgraph_node === 'model_request' && msg.type === 'ai' && typeof msg.content === 'string' && msg.content) {
          // Text of a later model turn (after tool calls) starts a new paragraph, as it is stored.
          if (streamingId !== undefined && msg.id !== streamingId) o.onToken(PARAGRAPH);
          streamingId = msg.id;
          o.onToken(msg.content);
        }
      } else {
        for (const update of Object.values(chunk as Record<string, { messages?: BaseMessage[] } | undefined>)) produced.push(...(update?.messages ?? []));
      }
    }
    const last = [...produced].reverse().find((m) => m.type === 'ai') as AIMessage | undefined;
    const invalid = ((last as { invalid_tool_calls?: InvalidCall[] } | undefined)?.invalid_tool_calls ?? []) as InvalidCall[];
    if (!last || !invalid.length || last.tool_calls?.length) return [...said, ...produced.filter((m) => m.type === 'ai').map(textOf)].filter((t) => t.trim()).join(PARAGRAPH);
    said.push(...produced.filter((m) => m.type === 'ai').map(textOf));
    for (const c of invalid) o.ctx.step({ name: c.name ?? '?', args: {}, label: `${toolLabel(c.name ?? '?', {}, o.ctx.motorId)} (malformed call)`, ok: false });
    if (attempt >= 1) throw new MalformedToolCallError(`the model sent a malformed call to ${invalid.map((c) => c.name ?? '?').join(', ')} twice (arguments that are not valid JSON)`);
    // Tell the model what went wrong, in the shape it expects: its call, then the tool's error.
    const calls = invalid.map((c, i) => ({ id: c.id ?? `malformed_${i}`, name: c.name ?? 'unknown', args: {} }));
    messages = [
      ...messages,
      ...produced.filter((m) => m !== last),
      new AIMessage({ content: textOf(last), tool_calls: calls }),
      ...calls.map((c, i) => new ToolMessage({ tool_call_id: c.id, name: c.name, status: 'error', content: `Error: the arguments were not valid JSON (${invalid[i].error ?? 'parse error'}): ${String(invalid[i].args ?? '').slice(0, 200)}. Call ${c.name} again with valid JSON arguments.` })),
    ];
    return null;
  }
}

/**
 * The client's timeout ends when the response headers arrive; a server that then stalls mid-stream would
 * hold the chat forever. This aborts the stream when nothing (a token, a tool step) came for `ms`.
 */
function silenceWatchdog(ms: number, outer: AbortSignal) {
  const own = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const heard = () => {
    clearTimeout(timer);
    timer = setTimeout(() => own.abort(new Error(`no data from the model for ${ms} ms`)), ms);
  };
  heard();
  return { signal: AbortSignal.any([outer, own.signal]), heard, fired: () => own.signal.aborted, stop: () => clearTimeout(timer) };
}

function textOf(m: BaseMessage | undefined): string {
  if (!m) return '';
  if (typeof m.content === 'string') return m.content;
  return m.content.map((p) => (typeof p === 'object' && p && 'text' in p ? String(p.text) : '')).join('');
}

function schemaMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  const messages: string[] = [];
  for (let i = 0; e && i < 5; i++, e = e.cause as typeof e) if (e.message) messages.push(e.message);
  const text = messages.find((m) => /✖|expected|invalid/i.test(m)) ?? messages[0] ?? String(error);
  return text
    .split('\n')
    .filter((l) => !/^\s+at\s/.test(l) && !/did not match expected schema|Error invoking tool/i.test(l))
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 400);
}
