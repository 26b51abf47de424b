import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import type { Embedder } from '../manuals/library';
import type { ModelSettings } from './modelSettings';

// The OpenAI-compatible clients for the chat and the manuals' embeddings. This module loads LangChain and the
// OpenAI SDK, so only the model runtime imports it.

// Local servers ignore the key, but the OpenAI client insists on one.
const keyFor = (key: string | null) => key ?? 'not-needed';

export function chatModel(s: ModelSettings, key: string | null, maxTokens?: number): ChatOpenAI {
  // No `streaming: true`: with it, invoke() estimates token counts with tiktoken data it downloads, which
  // hangs offline. Tokens still stream through agent.stream(…, { streamMode: 'messages' }).
  return new ChatOpenAI({
    model: s.model,
    apiKey: keyFor(key),
    temperature: s.temperature,
    timeout: s.timeoutS * 1000,
    maxRetries: 0,
    ...(maxTokens ? { maxTokens } : {}),
    configuration: s.baseUrl ? { baseURL: s.baseUrl } : {},
  });
}

export function openAIEmbedder(s: ModelSettings & { embeddingModel: string }, key: string | null): Embedder {
  const e = new OpenAIEmbeddings({
    model: s.embeddingModel,
    apiKey: keyFor(key),
    // Servers that answer with number arrays need "float"; base64 would be decoded into wrong vectors.
    encodingFormat: 'float',
    timeout: s.timeoutS * 1000,
    maxRetries: 0,
    configuration: s.baseUrl ? { baseURL: s.baseUrl } : {},
  });
  return { embed: (texts) => e.embedDocuments(texts) };
}
