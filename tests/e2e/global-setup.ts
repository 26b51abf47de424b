import { build } from 'vite';
import { resolve } from 'node:path';

// The browser tests drive the UI `serve` would serve, so it is built once, fresh, before them.
export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  await build({ configFile: resolve(root, 'vite.web.config.ts'), logLevel: 'warn' });
}
