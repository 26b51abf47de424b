import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The same folder Electron's app.getPath('userData') gives, so desktop and serve share one history. */
export function defaultDataDir(): string {
  if (process.env.MOTORTWIN_DATA_DIR) return resolve(process.env.MOTORTWIN_DATA_DIR);
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'MotorTwin');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'MotorTwin');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'MotorTwin');
}

/** The package root (where package.json is), from this file's place in src/ or out/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the MotorTwin package root');
    dir = up;
  }
  return dir;
}

/** Newest modification time of any file below `dir` (0 when it does not exist). */
export function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
