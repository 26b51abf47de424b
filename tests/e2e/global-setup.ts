import { build } from 'vite';
import { resolve } from 'node:path';
import { buildCli } from '../support/cliBuild';

// The browser tests drive the UI `serve` would serve, so it is built once, fresh, before them, and `serve`
// itself runs from its build.
export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  buildCli();
  await build({ configFile: resolve(root, 'vite.web.config.ts'), logLevel: 'warn' });
}
