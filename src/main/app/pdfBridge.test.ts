import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { shellPdfPrinter, type ShellLink } from './pdfBridge';

// The engine's PDF printer against a stand-in for the main process at the other end of a real MessageChannel.

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function channel(answer: (request: { id: string; html: string; file: string }) => unknown): { link: ShellLink; requests: unknown[] } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const requests: unknown[] = [];
  port2.on('message', (m: { id: string; html: string; file: string }) => {
    requests.push(m);
    const reply = answer(m);
    if (reply !== undefined) port2.postMessage(reply);
  });
  return { link: { send: (m) => port1.postMessage(m), subscribe: (listener) => port1.on('message', listener) }, requests };
}

describe('the engine side of the desktop PDF', () => {
  it('sends the page and the file, and resolves when the main process has printed it', async () => {
    const { link, requests } = channel((r) => ({ type: 'pdfPrinted', id: r.id, ok: true }));
    await shellPdfPrinter(link)('<p>report</p>', '/data/reports/bt-1.pdf');
    expect(requests).toEqual([{ type: 'printPdf', id: expect.any(String), html: '<p>report</p>', file: '/data/reports/bt-1.pdf' }]);
  });

  it('keeps concurrent requests apart by id', async () => {
    const { link } = channel((r) => (r.file.includes('bad') ? { type: 'pdfPrinted', id: r.id, ok: false, error: 'disk full' } : { type: 'pdfPrinted', id: r.id, ok: true }));
    const print = shellPdfPrinter(link);
    const [good, bad] = await Promise.allSettled([print('a', '/r/good.pdf'), print('b', '/r/bad.pdf')]);
    expect(good.status).toBe('fulfilled');
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('the desktop app could not print the PDF: disk full') });
  });

  it('rejects an answer that does not fit the schema, saying what is wrong', async () => {
    const { link } = channel((r) => ({ type: 'pdfPrinted', id: r.id, ok: 'yes' }));
    await expect(shellPdfPrinter(link)('a', '/r/x.pdf')).rejects.toThrow(/answer to the PDF request does not fit: ok: /);
  });

  it('gives up after its timeout when the main process does not answer, and ignores a late answer', async () => {
    let late: (() => void) | null = null;
    const { link } = channel((r) => {
      late = () => ports[1].postMessage({ type: 'pdfPrinted', id: r.id, ok: true });
      return undefined;
    });
    await expect(shellPdfPrinter(link, 200)('a', '/r/x.pdf')).rejects.toThrow(/did not print the PDF within 0.2 s; the HTML report works without it/);
    late!();
    await new Promise((r) => setTimeout(r, 20));
  });
});
