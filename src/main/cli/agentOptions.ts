import type { Engine } from '../engine';
import type { AgentConfig } from '../agent/wireAgent';
import { UsageError } from './command';
import { createLog } from '../platform/log';

// The model flags shared by `serve`, `ask` and `manuals`, and a quiet engine for one-off commands.

export const llmOptions = {
  'llm-base-url': { type: 'string' },
  'llm-model': { type: 'string' },
  'llm-api-key': { type: 'string' },
  'llm-embedding-model': { type: 'string' },
} as const;

export const LLM_USAGE = `  --llm-base-url URL     an OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM), e.g. http://127.0.0.1:11434/v1
                         (default: OPENAI_BASE_URL, else OpenAI itself)
  --llm-model NAME       the chat model (default: MOTORTWIN_LLM_MODEL, else gpt-4o-mini)
  --llm-api-key KEY      the API key (default: OPENAI_API_KEY; a local server needs none)
  --llm-embedding-model NAME   embeddings for hybrid manual search (default: MOTORTWIN_EMBEDDING_MODEL; none: lexical only)`;

export function agentConfigOf(v: Record<string, string | boolean | undefined>): AgentConfig {
  const url = v['llm-base-url'];
  if (typeof url === 'string' && !/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`--llm-base-url must start with http:// or https://, got "${url}"`);
  const flags: NonNullable<AgentConfig['flags']> = {};
  if (typeof url === 'string') flags.baseUrl = url;
  if (typeof v['llm-model'] === 'string') flags.model = v['llm-model'];
  if (typeof v['llm-api-key'] === 'string') flags.apiKey = v['llm-api-key'];
  if (typeof v['llm-embedding-model'] === 'string') flags.embeddingModel = v['llm-embedding-model'];
  return { flags };
}

/** The engine over a data folder for one command: no simulator, its own broker on a free loopback port. */
export async function openEngine(dataDir: string, agent: AgentConfig): Promise<Engine> {
  // Loaded here, after the command's options were checked: a usage error never waits for the engine.
  const { createEngine } = await import('../engine');
  try {
    // A one-shot command's engine logs only what went wrong: its answer is the command's output.
    return await createEngine({ dataDir, broker: { mode: 'embedded', host: '127.0.0.1', port: 0 }, simulate: [], agent, log: createLog({ level: 'warn' }) });
  } catch (e) {
    const msg = (e as Error).message;
    throw new Error(/in use by another MotorTwin/.test(msg) ? `${msg}; or ask the running one with --server http://127.0.0.1:PORT` : msg);
  }
}
