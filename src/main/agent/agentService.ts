import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { AgentSettingsPatch, AgentSettingsView, ChatEvent, ChatMessage, ToolStep } from '../../shared/agentContract';
import type { ManualLibrary } from '../manuals/library';
import type { CommandProposer } from './commandProposer';
import { ConversationStore } from './conversationStore';
import { fallbackAnswer } from './fallback';
import { explainModelError, isConfigured, MalformedToolCallError } from './modelSettings';
import type { ModelConfig } from './modelConfig';
import type { LoadModelRuntime } from './modelRuntime';
import { CitationBook } from './tools';
import type { TwinSource } from './twinFacts';
import { DomainError } from '../platform/domainError';

// "Ask the twin": questions per motor, answered by the language model with the twin's tools when one is set
// up, by the deterministic fallback otherwise, streamed as `chat` events and kept per motor in DuckDB.

export interface AgentDeps {
  source: TwinSource;
  manuals: ManualLibrary;
  /** The model's settings and key, shared with the manuals' embeddings. */
  model: ModelConfig;
  conversations: ConversationStore;
  /** The command queue, when there is one (the engine's command gate). */
  proposer: CommandProposer | null;
  /** LangChain and the model's client, loaded when a question first needs them. */
  runtime: LoadModelRuntime;
  log?: (what: string, e: Error) => void;
}

const AGENT_NAME = 'MotorTwin assistant';

export class AgentService extends EventEmitter<{ chat: [ChatEvent] }> {
  private readonly running = new Map<string, { motorId: string; abort: AbortController }>();

  constructor(private readonly deps: AgentDeps) {
    super();
  }

  view(): AgentSettingsView {
    return this.deps.model.view();
  }

  configure(patch: AgentSettingsPatch): Promise<AgentSettingsView> {
    return this.deps.model.configure(patch);
  }

  /** One tiny request to the model server; the answer says what is wrong in words. */
  async testConnection(): Promise<{ ok: boolean; message: string; latencyMs: number | null }> {
    const s = this.deps.model.settings;
    const key = this.deps.model.key();
    if (!isConfigured(s, key)) return { ok: false, message: 'no model is configured: set a base URL (local server) or an API key (OpenAI)', latencyMs: null };
    const t0 = Date.now();
    try {
      const { chatModel } = await this.deps.runtime();
      await chatModel(s, key, 5).invoke([{ role: 'user', content: 'Reply with OK.' }], { signal: AbortSignal.timeout(s.timeoutS * 1000) });
      return { ok: true, message: `${s.model} at ${s.baseUrl ?? 'OpenAI'} answered`, latencyMs: Date.now() - t0 };
    } catch (e) {
      return { ok: false, message: explainModelError(e, s, key), latencyMs: null };
    }
  }

  history(motorId: string): Promise<ChatMessage[]> {
    return this.deps.conversations.history(motorId);
  }

  async clear(motorId: string): Promise<number> {
    for (const [id, r] of this.running) if (r.motorId === motorId) this.cancel(id);
    return this.deps.conversations.clear(motorId);
  }

  cancel(requestId: string): boolean {
    const r = this.running.get(requestId);
    if (!r) return false;
    r.abort.abort(new Error('cancelled'));
    return true;
  }

  /** Starts answering; the answer arrives as `chat` events. Throws when this motor already has a question open. */
  ask(motorId: string, question: string): { requestId: string; done: Promise<ChatMessage> } {
    for (const r of this.running.values()) if (r.motorId === motorId) throw new DomainError('busy', `already answering a question about ${motorId}: wait for it, or cancel it`);
    const requestId = randomUUID();
    const abort = new AbortController();
    this.running.set(requestId, { motorId, abort });
    const done = this.answer(requestId, motorId, question, abort.signal).finally(() => this.running.delete(requestId));
    return { requestId, done };
  }

  suggestions(motorId: string): string[] {
    const t = this.deps.source.twins.get(motorId);
    const out: string[] = [];
    const alarms = this.deps.source.health.alarms.activeFor(motorId);
    for (const a of alarms.slice(0, 2)) out.push(`Why is the ${a.condition} alarm active on ${motorId}?`);
    if (t && (t.readings.temperature?.value ?? 0) >= (t.limits.temperature?.warnAbove ?? Infinity)) out.push(`Why is ${motorId} running hot?`);
    out.push(alarms.length ? 'What should I do now?' : `How is ${motorId} doing?`);
    out.push('What does the manual say about bearing noise?', 'Show the temperature trend of the last 24 h');
    return [...new Set(out)].slice(0, 4);
  }

  private async answer(requestId: string, motorId: string, question: string, signal: AbortSignal): Promise<ChatMessage> {
    const { conversations, source, manuals } = this.deps;
    const history = await conversations.history(motorId, 24);
    const settings = this.deps.model.settings;
    const key = this.deps.model.key();
    const useModel = isConfigured(settings, key);
    const asked = await conversations.append({ motorId, role: 'user', content: question, ts: Date.now(), mode: null, steps: [], citations: [] });
    const emit = (e: ChatEvent) => this.emit('chat', e);
    emit({ type: 'start', requestId, motorId, mode: useModel ? 'model' : 'fallback', question: asked });
    const steps: ToolStep[] = [];
    const step = (s: ToolStep) => {
      steps.push(s);
      emit({ type: 'step', requestId, motorId, step: s });
    };
    let content: string;
    let mode: ChatMessage['mode'];
    let citations: ChatMessage['citations'];
    if (!useModel) {
      const f = await fallbackAnswer(source, manuals, motorId, question);
      f.steps.forEach(step);
      emit({ type: 'token', requestId, motorId, text: f.content });
      ({ content, citations } = f);
      mode = 'fallback';
    } else {
      const book = new CitationBook();
      try {
        const ctx = { source, manuals, proposer: this.deps.proposer, motorId, agentName: AGENT_NAME, citations: book, step };
        const motorName = source.twins.get(motorId)?.name ?? motorId;
        const { runAgent } = await this.deps.runtime();
        content = await runAgent({ settings, apiKey: key, ctx, motorName, history, question, signal, onToken: (text) => emit({ type: 'token', requestId, motorId, text }) });
        if (!content.trim()) content = 'The model gave no answer. Try asking again, or rephrase the question.';
        citations = book.citedBy(content);
        mode = 'model';
      } catch (e) {
        const why = signal.aborted ? 'the question was cancelled' : e instanceof MalformedToolCallError ? e.message : explainModelError(e, settings, key);
        if (!signal.aborted) this.deps.log?.('answering with the model', new Error(why));
        // Only an extra below the model's failure, which is said in full; without it the answer is that failure.
        const f = await fallbackAnswer(source, manuals, motorId, question).catch(() => null);
        content = `**The model could not answer**: ${why}.${f ? `\n\nMeanwhile, from the twin directly:\n\n${f.content}` : ''}`;
        citations = f?.citations ?? [];
        emit({ type: 'token', requestId, motorId, text: `\n\n${content}` });
        mode = 'error';
      }
    }
    const message = await conversations.append({ motorId, role: 'assistant', content, ts: Date.now(), mode, steps, citations });
    emit({ type: 'done', requestId, motorId, message });
    return message;
  }
}
