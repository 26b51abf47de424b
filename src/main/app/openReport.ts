import { existsSync } from 'node:fs';
import { basename, resolve, sep } from 'node:path';

// The desktop app has no HTTP server to fetch a bench report from, so the main process opens the file the
// engine wrote in the system's viewer. The page names a file; only a report in the reports folder opens.

const REPORT_NAME = /^[\w.-]{1,200}\.(html|pdf)$/;

/** The report's full path, or why the page's request is refused. */
export function reportPathFor(reportsDir: string, requested: unknown): { path: string } | { refused: string } {
  const name = basename(String(requested));
  if (!REPORT_NAME.test(name)) return { refused: `refused: "${name.slice(0, 80)}" is not a report file name` };
  const path = resolve(reportsDir, name);
  if (!path.startsWith(resolve(reportsDir) + sep)) return { refused: 'refused: not in the reports folder' };
  if (!existsSync(path)) return { refused: `${name} is not in the reports folder (was the data folder cleared?)` };
  return { path };
}

/** Opens the report with `openPath` (Electron's shell.openPath: '' on success, else the reason). */
export async function openReport(reportsDir: string, requested: unknown, openPath: (path: string) => Promise<string>): Promise<string> {
  const r = reportPathFor(reportsDir, requested);
  if ('refused' in r) return r.refused;
  return openPath(r.path);
}
