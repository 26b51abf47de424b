import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { newestMtime, packageRoot } from '../platform/paths';

/**
 * Finds the built UI, building it first when running from a source checkout whose UI is missing or older
 * than its sources (so `npx motortwin serve` works right after `npm ci`).
 */
export async function ensureUiBuilt(log: (s: string) => void): Promise<string> {
  const root = packageRoot();
  const outDir = join(root, 'out', 'renderer');
  const index = join(outDir, 'index.html');
  const sources = [join(root, 'src', 'renderer'), join(root, 'src', 'shared')];
  const canBuild = existsSync(join(root, 'vite.web.config.ts')) && existsSync(sources[0]);
  if (!canBuild) return outDir;
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (builtAt >= Math.max(...sources.map(newestMtime))) return outDir;
  log(builtAt ? 'UI sources changed: rebuilding the UI…' : 'Building the UI (first run only)…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.web.config.ts'), root: join(root, 'src', 'renderer'), logLevel: 'warn' });
  return outDir;
}
