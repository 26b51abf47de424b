import { useEffect, useState } from 'react';
import type { Citation } from '../../../shared/agentContract';
import type { ResultOf } from '../../../shared/contract';
import { useEngineQuery } from '../../engine/useEngineQuery';

type Page = ResultOf<'manuals.page'>;

/** The built-in viewer: the manual's page as extracted text, the cited passage highlighted, page by page. */
export function ManualViewer({ citation, onClose }: { citation: Citation; onClose: () => void }) {
  const [pageNo, setPageNo] = useState(citation.page);
  const shown = useEngineQuery('manuals.page', { id: citation.manualId, page: pageNo });
  const page: Page | null = shown.data ?? null;
  const error = shown.error;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const idx = page?.pages.indexOf(pageNo) ?? -1;
  const [before, hit, after] = page && pageNo === citation.page ? split(page.text, citation.text) : [page?.text ?? '', '', ''];
  return (
    <div className="viewer-backdrop" onClick={onClose}>
      <div className="viewer" role="dialog" aria-label="Manual viewer" data-testid="manual-viewer" onClick={(e) => e.stopPropagation()}>
        <div className="viewer-head">
          <strong>{citation.title}</strong>
          <span className="muted small">
            {citation.source} · {page?.kind === 'pdf' ? 'PDF text' : 'text'} · page <span data-testid="viewer-page">{pageNo}</span>
            {page ? ` of ${page.pages.length}` : ''}
          </span>
          <span className="viewer-nav">
            <button className="ghost" disabled={idx <= 0} onClick={() => page && setPageNo(page.pages[idx - 1])}>
              ‹ Previous
            </button>
            <button className="ghost" disabled={!page || idx >= page.pages.length - 1} onClick={() => page && setPageNo(page.pages[idx + 1])}>
              Next ›
            </button>
            <button onClick={onClose} data-testid="viewer-close">
              Close
            </button>
          </span>
        </div>
        {error ? (
          <p className="error">{error}</p>
        ) : (
          <pre className="viewer-text" data-testid="viewer-text">
            {before}
            {hit && (
              <mark
                ref={(el) => {
                  el?.scrollIntoView({ block: 'center' });
                }}
              >
                {hit}
              </mark>
            )}
            {after}
          </pre>
        )}
      </div>
    </div>
  );
}

/** The page split around the cited passage (whitespace may differ between the two). */
function split(text: string, passage: string): [string, string, string] {
  const at = text.indexOf(passage);
  if (at >= 0) return [text.slice(0, at), passage, text.slice(at + passage.length)];
  const head = passage.slice(0, 60);
  const i = text.indexOf(head);
  return i >= 0 ? [text.slice(0, i), text.slice(i, i + passage.length), text.slice(i + passage.length)] : [text, '', ''];
}
