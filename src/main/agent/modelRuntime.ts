import { runAgent } from './runner';
import { chatModel, openAIEmbedder } from './modelClient';

// What answering with a language model needs: the agent loop, LangChain and the OpenAI SDK, several MB of
// source an idle engine never runs. The composition root hands the agent part a loader of this module, so it
// loads on the first question, connection test or embedding that needs a model.

export const modelRuntime = { runAgent, chatModel, openAIEmbedder };

export type ModelRuntime = typeof modelRuntime;

/** Loads the model runtime (once: later calls get the same module). */
export type LoadModelRuntime = () => Promise<ModelRuntime>;
