import type { ReactNode } from 'react';

// The little Markdown answers use (paragraphs, lists, **bold**, _italic_, `code`, tables shown as text),
// rendered as React nodes (never as HTML), with [n] turned into buttons that open the cited page.

export function RichText({ text, onCite }: { text: string; onCite?: (n: number) => void }) {
  const blocks = text.split(/\n{2,}/);
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split('\n');
        if (lines.every((l) => /^\s*([-*]|\d+\.)\s+/.test(l))) {
          return (
            <ul key={i}>
              {lines.map((l, k) => (
                <li key={k}>{inline(l.replace(/^\s*([-*]|\d+\.)\s+/, ''), onCite)}</li>
              ))}
            </ul>
          );
        }
        if (lines.some((l) => l.trim().startsWith('|'))) return <pre key={i} className="chat-table">{block}</pre>;
        return (
          <p key={i}>
            {lines.map((l, k) => (
              <span key={k}>
                {k > 0 && <br />}
                {inline(l.replace(/^#+\s*/, ''), onCite)}
              </span>
            ))}
          </p>
        );
      })}
    </>
  );
}

function inline(text: string, onCite?: (n: number) => void): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /\*\*([^*]+)\*\*|(?:^|(?<=\s))_([^_]+)_(?=\s|$|[.,;:])|`([^`]+)`|\[(\d{1,3})\]/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const key = `${m.index}`;
    if (m[1] !== undefined) out.push(<strong key={key}>{m[1]}</strong>);
    else if (m[2] !== undefined) out.push(<em key={key}>{m[2]}</em>);
    else if (m[3] !== undefined) out.push(<code key={key}>{m[3]}</code>);
    else {
      const n = Number(m[4]);
      out.push(
        onCite ? (
          <button key={key} className="cite-ref" onClick={() => onCite(n)} title={`Open source ${n}`}>
            {n}
          </button>
        ) : (
          `[${n}]`
        ),
      );
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
