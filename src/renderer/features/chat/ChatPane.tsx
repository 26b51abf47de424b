import { useEffect, useRef, useState } from 'react';
import type { ChatMessage, Citation, ToolStep } from '../../../shared/agentContract';
import { RichText } from './RichText';
import { ManualViewer } from './ManualViewer';
import { useChat } from './useChat';
import './chat.css';

/** "Ask the twin", beside the motor page: the motor in context is the one on screen. */
export function ChatPane({ motorId }: { motorId: string }) {
  const chat = useChat(motorId);
  const [draft, setDraft] = useState('');
  const [open, setOpen] = useState<Citation | null>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const busy = chat.pending !== null;

  // Braces matter: Chromium's scrollIntoView returns a promise, which React would take for a clean-up.
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [chat.messages.length, chat.pending?.text, chat.pending?.steps.length]);

  const send = (q: string) => {
    if (busy || !q.trim()) return;
    void chat.ask(q.trim());
    setDraft('');
  };
  const copy = () => void navigator.clipboard?.writeText(chat.messages.map((m) => `${m.role === 'user' ? 'Q' : 'A'}: ${m.content}`).join('\n\n'));

  return (
    <aside className="chat-pane panel" data-testid="chat-pane">
      <div className="chat-head">
        <h2>Ask the twin</h2>
        <span className="chat-actions">
          <button className="ghost small" onClick={copy} disabled={!chat.messages.length} title="Copy the conversation" data-testid="chat-copy">
            Copy
          </button>
          <button className="ghost small" onClick={() => void chat.clear()} disabled={!chat.messages.length || busy} title="Forget this conversation" data-testid="chat-clear">
            Clear
          </button>
        </span>
      </div>
      {chat.settings && !chat.settings.configured && (
        <p className="chat-mode" data-testid="chat-mode">
          No model configured: answers come straight from the twin and the manuals. <a href="#/manuals">Set up a model</a>
        </p>
      )}
      {chat.settings?.configured && (
        <p className="chat-mode chat-mode-model muted small" data-testid="chat-mode">
          {chat.settings.model} · {chat.settings.baseUrl ?? 'OpenAI'}
        </p>
      )}
      <div className="chat-log" data-testid="chat-log">
        {!chat.messages.length && !busy && <p className="muted small">Ask about {motorId}: its state, its trends, its alarms, or what the manuals say.</p>}
        {chat.messages.map((m) => (
          <Message key={m.id} m={m} onOpen={setOpen} />
        ))}
        {chat.pending && (
          <div className="chat-msg chat-assistant" data-testid="chat-pending">
            <Steps steps={chat.pending.steps} />
            {chat.pending.text ? <RichText text={chat.pending.text} /> : <p className="muted small chat-thinking">{chat.pending.steps.length ? 'Working…' : 'Thinking…'}</p>}
            <button className="ghost small" onClick={chat.cancel}>
              Stop
            </button>
          </div>
        )}
        <div ref={endRef} />
      </div>
      {chat.error && <p className="error small">{chat.error}</p>}
      {!busy && chat.suggestions.length > 0 && (
        <div className="chat-suggestions" data-testid="chat-suggestions">
          {chat.suggestions.map((s) => (
            <button key={s} className="ghost small" onClick={() => send(s)}>
              {s}
            </button>
          ))}
        </div>
      )}
      <form
        className="chat-input"
        onSubmit={(e) => {
          e.preventDefault();
          send(draft);
        }}
      >
        <textarea
          value={draft}
          rows={2}
          placeholder={`Ask about ${motorId}…`}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send(draft);
            }
          }}
          data-testid="chat-input"
        />
        <button type="submit" disabled={busy || !draft.trim() || !chat.ready} data-testid="chat-send">
          Ask
        </button>
      </form>
      {open && <ManualViewer citation={open} onClose={() => setOpen(null)} />}
    </aside>
  );
}

function Message({ m, onOpen }: { m: ChatMessage; onOpen: (c: Citation) => void }) {
  if (m.role === 'user') return <div className="chat-msg chat-user">{m.content}</div>;
  const cite = (n: number) => {
    const c = m.citations.find((x) => x.n === n);
    if (c) onOpen(c);
  };
  return (
    <div className={`chat-msg chat-assistant chat-${m.mode ?? 'model'}`} data-testid="chat-answer" data-mode={m.mode}>
      <Steps steps={m.steps} />
      <RichText text={m.content} onCite={cite} />
      {m.citations.length > 0 && (
        <div className="chat-citations">
          {m.citations.map((c) => (
            <button key={c.n} className="cite-chip" onClick={() => onOpen(c)} title={c.text.slice(0, 200)} data-testid="cite-chip">
              [{c.n}] {c.title.length > 32 ? `${c.title.slice(0, 30)}…` : c.title}, p. {c.page}
              {c.section ? ` · ${c.section.length > 28 ? `${c.section.slice(0, 26)}…` : c.section}` : ''}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function Steps({ steps }: { steps: ToolStep[] }) {
  if (!steps.length) return null;
  return (
    <ul className="chat-steps" data-testid="chat-steps">
      {steps.map((s, i) => (
        <li key={i} className={s.ok ? '' : 'step-failed'}>
          {s.ok ? '✓' : '✗'} {s.label}
        </li>
      ))}
    </ul>
  );
}
