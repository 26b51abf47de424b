import { randomUUID } from 'node:crypto';
import type { PdfPrinter } from '../benchtest/pdf';
import { describeIssues, printPdfReplySchema, type PrintPdfRequest } from './pdfMessages';

// The engine's side of printing a report in the desktop app: a PdfPrinter that sends the page to the main
// process over the utility process's parent port and waits for its answer. No Electron here.

/** The engine's end of the channel to the main process (the utility process's parentPort). */
export interface ShellLink {
  send(message: PrintPdfRequest): void;
  /** Calls `listener` with every message's data from the main process. */
  subscribe(listener: (data: unknown) => void): void;
}

export function shellPdfPrinter(link: ShellLink, timeoutMs = 60_000): PdfPrinter {
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  link.subscribe((data) => {
    const msg = data as { type?: unknown; id?: unknown } | null;
    if (typeof msg !== 'object' || msg === null || msg.type !== 'pdfPrinted' || typeof msg.id !== 'string') return;
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    const reply = printPdfReplySchema.safeParse(data);
    if (!reply.success) w.reject(new Error(`the desktop app's answer to the PDF request does not fit: ${describeIssues(reply.error)}`));
    else if (reply.data.ok) w.resolve();
    else w.reject(new Error(`the desktop app could not print the PDF: ${reply.data.error}`));
  });
  return (html, file) =>
    new Promise<void>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the desktop app did not print the PDF within ${timeoutMs / 1000} s; the HTML report works without it`));
      }, timeoutMs);
      const done = <T>(f: (x: T) => void) => (x: T) => {
        clearTimeout(timer);
        f(x);
      };
      waiting.set(id, { resolve: done(resolve), reject: done(reject) });
      link.send({ type: 'printPdf', id, html, file });
    });
}
