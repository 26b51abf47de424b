import { useCallback, useEffect, useRef, useState } from 'react';
import type { AgentSettingsView, ChatMessage, ToolStep } from '../../../shared/agentContract';
import { useEngineClient } from '../../engine/EngineProvider';

/** The answer being written: its text so far and the tool steps taken. */
export interface Pending {
  requestId: string | null;
  mode: 'model' | 'fallback';
  text: string;
  steps: ToolStep[];
}

/** One motor's conversation: stored messages, the streaming answer, and the actions on them. */
export function useChat(motorId: string) {
  const client = useEngineClient();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [settings, setSettings] = useState<AgentSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requestRef = useRef<string | null>(null);

  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('chat.history', { motorId }).then((h) => live && setMessages(h), (e: Error) => live && setError(e.message));
    void client.call('chat.suggestions', { motorId }).then((s) => live && setSuggestions(s), () => undefined);
    void client.call('agent.settings', {}).then((s) => live && setSettings(s), () => undefined);
    const off = client.on('chat', (e) => {
      if (e.motorId !== motorId) return;
      if (e.type === 'start') {
        requestRef.current = e.requestId;
        setMessages((m) => (m.some((x) => x.id === e.question.id) ? m : [...m, e.question]));
        setPending({ requestId: e.requestId, mode: e.mode, text: '', steps: [] });
      } else if (e.type === 'token') setPending((p) => (p ? { ...p, text: p.text + e.text } : p));
      else if (e.type === 'step') setPending((p) => (p ? { ...p, steps: [...p.steps, e.step] } : p));
      else if (e.type === 'done') {
        requestRef.current = null;
        setPending(null);
        setMessages((m) => [...m, e.message]);
        void client.call('chat.suggestions', { motorId }).then(setSuggestions, () => undefined);
      }
    });
    return () => {
      live = false;
      off();
    };
  }, [client, motorId]);

  const ask = useCallback(
    async (question: string) => {
      if (!client || !question.trim()) return;
      setError(null);
      setPending({ requestId: null, mode: settings?.configured ? 'model' : 'fallback', text: '', steps: [] });
      try {
        await client.call('chat.ask', { motorId, question });
      } catch (e) {
        setPending(null);
        setError((e as Error).message);
      }
    },
    [client, motorId, settings],
  );

  const cancel = useCallback(() => {
    if (client && requestRef.current) void client.call('chat.cancel', { requestId: requestRef.current });
  }, [client]);

  const clear = useCallback(async () => {
    if (!client) return;
    await client.call('chat.clear', { motorId });
    setMessages([]);
  }, [client, motorId]);

  return { messages, pending, suggestions, settings, error, ask, cancel, clear, ready: client !== null };
}
