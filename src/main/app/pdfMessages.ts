import { z } from 'zod';

// The engine (utility process) asks the desktop shell (main process) to print a report, because Electron's
// printToPDF exists only there. Both sides check every message against these schemas.

const id = z.string().min(1).max(64);

export const printPdfRequestSchema = z
  .object({
    type: z.literal('printPdf'),
    id,
    /** The report: one self-contained HTML page (inline CSS and SVG, no scripts). */
    html: z.string().min(1).max(32 * 1024 * 1024),
    file: z.string().min(1).max(4096).regex(/\.pdf$/i, 'the output is a .pdf file'),
  })
  .strict();
export type PrintPdfRequest = z.infer<typeof printPdfRequestSchema>;

export const printPdfReplySchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('pdfPrinted'), id, ok: z.literal(true) }).strict(),
  z.object({ type: z.literal('pdfPrinted'), id, ok: z.literal(false), error: z.string().min(1).max(2000) }).strict(),
]);
export type PrintPdfReply = z.infer<typeof printPdfReplySchema>;

/** Every issue of a failed parse, with its path: what was wrong, for the log or the error. */
export const describeIssues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
