import { readFileSync } from 'node:fs';

declare const __MOTORTWIN_VERSION__: string | undefined;

function readVersion(): string {
  // Bundled builds have the version baked in; running from source reads package.json.
  if (typeof __MOTORTWIN_VERSION__ === 'string') return __MOTORTWIN_VERSION__;
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    // Only a copy without its package.json: it still runs, reporting no version.
    return '0.0.0';
  }
}

export const VERSION = readVersion();
