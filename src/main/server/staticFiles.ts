import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.glb': 'model/gltf-binary',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** Serves a file under `root`, refusing any path that escapes it. Returns false when there is none. */
export function serveStatic(root: string, urlPath: string, res: ServerResponse): boolean {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    // A malformed %-escape names no file: a 404.
    return false;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(root, rel));
  if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) return false;
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    // Hashed assets never change; the page itself is always fetched fresh.
    'cache-control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  pipeFile(file, res);
  return true;
}

/** The regular file `name` directly in `dir`, or null: never a directory (`.`, `..`) or a path out of `dir`. */
export function fileIn(dir: string, name: string): string | null {
  const base = basename(name);
  if (base === '' || base === '.' || base === '..') return null;
  const file = join(dir, base);
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** Streams a file into a response; a read that fails after the header ends that response, not the process. */
export function pipeFile(file: string, res: ServerResponse): void {
  createReadStream(file)
    .on('error', (e) => res.destroy(e))
    .pipe(res);
}
