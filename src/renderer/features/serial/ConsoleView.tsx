import { useLayoutEffect, useRef, useState } from 'react';
import type { SerialPortInfo } from '../../../shared/serialContract';
import { useEngineCall } from '../../engine/useEngineQuery';
import { hexOf, windowOf } from './consoleModel';
import { useConsole } from './useSerial';

const ROW = 18;
const VIEW_HEIGHT = 420;

const time = (ts: number) => {
  const d = new Date(ts);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/** A terminal for one port: virtualised (only the rows on screen exist), updated once per frame. */
export function ConsoleView({ port }: { port: SerialPortInfo }) {
  const call = useEngineCall();
  const { model, frame } = useConsole(port.path);
  const [query, setQuery] = useState('');
  const [stamps, setStamps] = useState(true);
  const [hex, setHex] = useState(false);
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [input, setInput] = useState('');
  const [logFile, setLogFile] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const lines = model.visible(query);
  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [frame, follow, lines.length]);

  const { start, end } = windowOf(lines.length, scrollTop, VIEW_HEIGHT, ROW);
  const open = port.state === 'open';

  const send = async () => {
    if (!input.trim()) return;
    const text = input.trim();
    setMessage(null);
    try {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: sent as a plain line
      }
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'action' in parsed) {
        const ack = await call('serial.command', { path: port.path, command: parsed as Record<string, unknown> });
        setMessage({ text: `${ack.id}: ${ack.status}${ack.detail ? ` (${ack.detail})` : ''}`, error: ack.status !== 'applied' });
      } else {
        await call('serial.send', { path: port.path, line: text });
      }
      setInput('');
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  const toggleLog = async () => {
    try {
      const r = await call('serial.log', { path: port.path, enabled: !logFile });
      setLogFile(r.file);
      setMessage(r.file ? { text: `logging every line to ${r.file}`, error: false } : null);
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true });
    }
  };

  return (
    <div className="panel" data-testid="console">
      <div className="panel-head">
        <h2>
          Console <span className="mono small muted">{port.path}</span>
        </h2>
        <span className="spacer" />
        <input placeholder="Search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="console-search" size={16} />
        <label className="small">
          <input type="checkbox" checked={stamps} onChange={(e) => setStamps(e.target.checked)} /> time
        </label>
        <label className="small">
          <input type="checkbox" checked={hex} onChange={(e) => setHex(e.target.checked)} data-testid="console-hex" /> hex
        </label>
        <button onClick={() => model.setPaused(!model.paused)} data-testid="console-pause">
          {model.paused ? `Resume (${model.held.toLocaleString()} new)` : 'Pause'}
        </button>
        <button
          onClick={() => {
            model.clear();
            void call('serial.clear', { path: port.path }).catch(() => undefined);
          }}
          data-testid="console-clear"
        >
          Clear
        </button>
        <button onClick={() => void toggleLog()} disabled={port.state === 'closed'} data-testid="console-log">
          {logFile ? 'Stop log' : 'Log to file'}
        </button>
      </div>
      <div
        className="console-box mono"
        style={{ height: VIEW_HEIGHT }}
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          setFollow(el.scrollTop + el.clientHeight >= el.scrollHeight - ROW);
        }}
        data-testid="console-lines"
        data-count={lines.length}
      >
        <div style={{ height: lines.length * ROW, position: 'relative' }}>
          {lines.slice(start, end).map((l, i) => (
            <div key={l.seq} className={`console-line dir-${l.dir} kind-${l.kind ?? 'none'}`} style={{ top: (start + i) * ROW }} data-testid="console-line">
              {stamps && <span className="console-ts">{time(l.ts)} </span>}
              <span className="console-dir">{l.dir === 'rx' ? '◂' : l.dir === 'tx' ? '▸' : '•'} </span>
              {hex ? hexOf(l) : l.text}
            </div>
          ))}
        </div>
      </div>
      <div className="console-foot small muted">
        {lines.length.toLocaleString()} lines shown · {model.received.toLocaleString()} received{follow ? '' : ' · scrolled up (new lines keep arriving)'}
      </div>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <input
          className="grow mono"
          placeholder={open ? 'Send a line, or a command such as {"action":"IDENTIFY"}' : 'Open the port to send'}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          disabled={!open}
          data-testid="console-input"
        />
        <button type="submit" disabled={!open || !input.trim()} data-testid="console-send">
          Send
        </button>
      </form>
      {message && (
        <p className={message.error ? 'error small' : 'muted small'} data-testid="console-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
