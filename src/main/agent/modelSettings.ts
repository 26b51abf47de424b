import type { AgentSettingsView } from '../../shared/agentContract';

// Which model answers: OpenAI, or any OpenAI-compatible server by base URL (Ollama, LM Studio, llama.cpp,
// vLLM). Defaults < environment < settings saved from the UI < command-line flags. The API key is kept
// apart (see SecretKeeper) and never leaves the engine.

export interface ModelSettings {
  baseUrl: string | null;
  model: string;
  temperature: number;
  timeoutS: number;
  embeddingModel: string | null;
}

export type KeySource = AgentSettingsView['keySource'];

/** Where the API key lives: the desktop app's OS keychain (Electron safeStorage), or memory for this session. */
export interface SecretKeeper {
  readonly source: KeySource;
  /** Set when the key is stored in a form others on the machine could read. */
  readonly warning: string | null;
  get(): string | null;
  set(key: string | null): Promise<void>;
}

export const DEFAULT_SETTINGS: ModelSettings = { baseUrl: null, model: 'gpt-4o-mini', temperature: 0.2, timeoutS: 60, embeddingModel: null };

/** Settings from OPENAI_BASE_URL, MOTORTWIN_LLM_MODEL and MOTORTWIN_EMBEDDING_MODEL. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Partial<ModelSettings> {
  const out: Partial<ModelSettings> = {};
  if (env.OPENAI_BASE_URL) out.baseUrl = env.OPENAI_BASE_URL;
  if (env.MOTORTWIN_LLM_MODEL) out.model = env.MOTORTWIN_LLM_MODEL;
  if (env.MOTORTWIN_EMBEDDING_MODEL) out.embeddingModel = env.MOTORTWIN_EMBEDDING_MODEL;
  return out;
}

/** The key for headless runs: a flag, else OPENAI_API_KEY; a key set from the UI lasts for the session. */
export function sessionKeeper(flagKey: string | undefined, env: NodeJS.ProcessEnv): SecretKeeper {
  let key = flagKey ?? env.OPENAI_API_KEY ?? null;
  let source: KeySource = flagKey ? 'flag' : env.OPENAI_API_KEY ? 'environment' : 'none';
  return {
    get source() {
      return source;
    },
    warning: null,
    get: () => key,
    set: async (k) => {
      key = k;
      source = k ? 'session' : 'none';
    },
  };
}

/** A model is configured when there is a key (OpenAI) or a server of one's own. */
export const isConfigured = (s: ModelSettings, key: string | null) => Boolean(key || s.baseUrl);

/** The model garbled a tool call twice: the answer ends with this message. */
export class MalformedToolCallError extends Error {}

/** A model server's failure in words an engineer can act on. The key is never part of it. */
export function explainModelError(e: unknown, s: ModelSettings, key: string | null): string {
  const err = e as { name?: string; status?: number; code?: string; message?: string; cause?: { code?: string } };
  const where = s.baseUrl ?? 'OpenAI';
  const msg = String(err.message ?? e);
  let out: string;
  if (err.name === 'AbortError' && /timed? ?out/i.test(msg)) out = `the model at ${where} did not answer within ${s.timeoutS} s (timeout); try again, or raise the timeout in the model settings`;
  else if (/timeout|timed out/i.test(`${err.name} ${msg}`)) out = `the model at ${where} did not answer within ${s.timeoutS} s (timeout); try again, or raise the timeout in the model settings`;
  else if (err.status === 401 || err.status === 403) out = `the model server at ${where} refused the API key (${err.status}): check the key in the model settings`;
  else if (err.status === 404) out = `the model server at ${where} does not know the model "${s.model}" (404): check the model name`;
  else if (err.status === 429) out = `the model server at ${where} is rate-limiting requests (429): wait a moment and try again`;
  else if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|Connection error|fetch failed/i.test(`${msg} ${err.code ?? ''} ${err.cause?.code ?? ''}`))
    out = `cannot reach the model server at ${where}: is it running, and is the base URL right?`;
  else out = `the model server at ${where} failed: ${msg.split('\n')[0].slice(0, 300)}`;
  return key ? out.split(key).join('***') : out;
}
