import { useState } from 'react';
import type { AgentSettingsView } from '../../../shared/agentContract';
import { useEngineCall, useEngineQuery } from '../../engine/useEngineQuery';

type Form = { baseUrl: string; model: string; temperature: string; timeoutS: string; embeddingModel: string; apiKey: string };

function formOf(v: AgentSettingsView | undefined): Form {
  if (!v) return { baseUrl: '', model: '', temperature: '0.2', timeoutS: '60', embeddingModel: '', apiKey: '' };
  return { baseUrl: v.baseUrl ?? '', model: v.model, temperature: String(v.temperature), timeoutS: String(v.timeoutS), embeddingModel: v.embeddingModel ?? '', apiKey: '' };
}

/** Which model answers in the chat. The key goes to the engine and is never shown again. */
export function ModelSettings() {
  const call = useEngineCall();
  const settings = useEngineQuery('agent.settings', {});
  const [saved, setView] = useState<AgentSettingsView | null>(null);
  const view = saved ?? settings.data ?? null;
  // The form shows the engine's settings until the first edit.
  const [edited, setForm] = useState<Form | null>(null);
  const form = edited ?? formOf(settings.data);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const save = async () => {
    try {
      const v = await call('agent.configure', {
        baseUrl: form.baseUrl.trim() || null,
        model: form.model.trim() || 'gpt-4o-mini',
        temperature: Number(form.temperature),
        timeoutS: Number(form.timeoutS),
        embeddingModel: form.embeddingModel.trim() || null,
        ...(form.apiKey.trim() ? { apiKey: form.apiKey.trim() } : {}),
      });
      setView(v);
      setForm({ ...form, apiKey: '' });
      setNote({ ok: true, text: 'Saved.' });
    } catch (e) {
      setNote({ ok: false, text: (e as Error).message });
    }
  };
  const forgetKey = async () => setView(await call('agent.configure', { apiKey: null }));
  const test = async () => {
    setNote({ ok: true, text: 'Testing…' });
    const r = await call('agent.testConnection', {});
    setNote({ ok: r.ok, text: r.ok ? `${r.message} in ${r.latencyMs} ms` : r.message });
  };
  const field = (k: keyof typeof form, label: string, hint: string, type = 'text') => (
    <label className="model-field">
      <span>{label}</span>
      <input type={type} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} placeholder={hint} data-testid={`model-${k}`} autoComplete="off" />
    </label>
  );

  return (
    <section className="panel" data-testid="model-settings">
      <div className="panel-head">
        <h2>Model</h2>
        <span className="muted small">{view ? (view.configured ? 'configured' : 'none: the chat answers without a language model') : ''}</span>
      </div>
      <p className="muted small">OpenAI, or any OpenAI-compatible server on this computer or the plant network (Ollama, LM Studio, llama.cpp, vLLM), so the chat runs without cloud access.</p>
      <div className="model-grid">
        {field('baseUrl', 'Base URL', 'empty: OpenAI; e.g. http://127.0.0.1:11434/v1 for Ollama')}
        {field('model', 'Model', 'gpt-4o-mini, llama3.1, qwen2.5 …')}
        {field('temperature', 'Temperature', '0.2', 'number')}
        {field('timeoutS', 'Timeout (s)', '60', 'number')}
        {field('embeddingModel', 'Embeddings model', 'optional: hybrid manual search')}
        {field('apiKey', view?.apiKeySet ? 'API key (set; type to replace)' : 'API key', view?.apiKeySet ? '••••••••' : 'a local server needs none', 'password')}
      </div>
      {view?.apiKeySet && (
        <p className="muted small">
          Key kept {view.keySource === 'os-encrypted' ? "in the operating system's keychain" : view.keySource === 'environment' ? 'from OPENAI_API_KEY' : view.keySource === 'flag' ? 'from --llm-api-key' : view.keySource === 'plain-text' ? 'on disk in plain text' : 'for this session only'}.{' '}
          <button className="ghost small" onClick={() => void forgetKey()}>
            Forget the key
          </button>
        </p>
      )}
      {view?.keyWarning && <p className="warning small" data-testid="key-warning">{view.keyWarning}</p>}
      <div className="model-actions">
        <button onClick={() => void save()} data-testid="model-save">
          Save
        </button>
        <button className="ghost" onClick={() => void test()} data-testid="model-test">
          Test connection
        </button>
        {note && (
          <span className={note.ok ? 'muted small' : 'error small'} data-testid="model-note">
            {note.text}
          </span>
        )}
      </div>
    </section>
  );
}
