import type { IncomingMessage } from 'node:http';
import { DomainError } from '../platform/domainError';

// The one reader of request bodies: at most so many bytes (the rest is not read), as text or as JSON. Its
// refusals are domain errors, answered as every other error is (src/main/rpc/errors.ts).

const sizeText = (bytes: number) => (bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} bytes`);

/** The body as UTF-8 text; `too_large` past maxBytes, with `hint` saying what to do instead. */
export async function readBodyText(req: IncomingMessage, maxBytes: number, hint?: string): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new DomainError('too_large', `request body over ${sizeText(maxBytes)}${hint ? `: ${hint}` : ''}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON (an empty body is `{}`); `invalid` when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number, hint?: string): Promise<unknown> {
  const text = await readBodyText(req, maxBytes, hint);
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('invalid', 'request body is not valid JSON');
  }
}
