import { useCallback, useEffect, useState } from 'react';
import type { ChatEvent, ChatMessage, ToolStep } from '../../../shared/agentContract';
import { useConnected, useEngineCall, useEngineQuery, useLiveQuery } from '../../engine/useEngineQuery';

/** The answer being written: its text so far and the tool steps taken. */
export interface Pending {
  requestId: string | null;
  mode: 'model' | 'fallback';
  text: string;
  steps: ToolStep[];
}

interface ChatView {
  messages: ChatMessage[];
  pending: Pending | null;
}

/** The conversation after one chat event: a question asked, a token or a tool step of the answer, the answer. */
function applyChat(v: ChatView, e: ChatEvent): ChatView {
  const withMessage = (m: ChatMessage) => (v.messages.some((x) => x.id === m.id) ? v.messages : [...v.messages, m]);
  if (e.type === 'start') return { messages: withMessage(e.question), pending: { requestId: e.requestId, mode: e.mode, text: '', steps: [] } };
  if (e.type === 'token') return v.pending ? { ...v, pending: { ...v.pending, text: v.pending.text + e.text } } : v;
  if (e.type === 'step') return v.pending ? { ...v, pending: { ...v.pending, steps: [...v.pending.steps, e.step] } } : v;
  return { messages: withMessage(e.message), pending: null };
}

/** One motor's conversation: stored messages, the streaming answer, and the actions on them. */
export function useChat(motorId: string) {
  const connected = useConnected();
  const call = useEngineCall();
  const chat = useLiveQuery<ChatView>(`chat ${motorId}`, {
    load: async (c) => ({ messages: await c.call('chat.history', { motorId }), pending: null }),
    filter: { motor: motorId },
    on: { chat: (v, e) => (e.motorId === motorId ? applyChat(v, e) : v) },
  });
  const suggestions = useEngineQuery('chat.suggestions', { motorId });
  const settings = useEngineQuery('agent.settings', {}).data ?? null;
  const [asking, setAsking] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const messages = chat.data?.messages;
  const pending = chat.data?.pending ?? asking;
  const requestId = pending?.requestId ?? null;

  // Each answer may change what is worth asking next.
  const { reload: reloadSuggestions } = suggestions;
  const answered = messages?.length;
  useEffect(() => {
    if (answered !== undefined) void reloadSuggestions();
  }, [answered, reloadSuggestions]);

  const ask = useCallback(
    async (question: string) => {
      if (!question.trim()) return;
      setError(null);
      // Shown at once; the engine's start event takes over.
      setAsking({ requestId: null, mode: settings?.configured ? 'model' : 'fallback', text: '', steps: [] });
      try {
        await call('chat.ask', { motorId, question });
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setAsking(null);
      }
    },
    [call, motorId, settings],
  );

  const cancel = useCallback(() => {
    if (requestId) void call('chat.cancel', { requestId });
  }, [call, requestId]);

  const { reload } = chat;
  const clear = useCallback(async () => {
    await call('chat.clear', { motorId });
    await reload();
  }, [call, motorId, reload]);

  return { messages: messages ?? [], pending, suggestions: suggestions.data ?? [], settings, error: error ?? chat.error, ask, cancel, clear, ready: connected };
}
