import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { kindOf } from './extract';

// Which files `manuals add` reads from the paths it is given. A folder is walked for the kinds MotorTwin
// reads; a symbolic link in it is followed only when its target is inside that folder, so a link to
// /etc/shadow never becomes a "manual". A path the user names directly is followed wherever it points:
// that file is what they asked for. Sizes are judged from stat, before a byte is read.

export { MAX_MANUAL_MB, MAX_MANUAL_BYTES as MAX_MANUAL_FILE_BYTES } from '../../shared/agentContract';
import { MAX_MANUAL_MB, MAX_MANUAL_BYTES as MAX_MANUAL_FILE_BYTES } from '../../shared/agentContract';

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** Why a file of this size is not imported, or null. */
export const sizeProblem = (bytes: number) =>
  bytes > MAX_MANUAL_FILE_BYTES ? `${mb(bytes)} MB, larger than the ${MAX_MANUAL_MB} MB limit for a manual (import the chapters that matter)` : null;

export interface ManualSource {
  path: string;
  name: string;
}

export interface SkippedSource {
  name: string;
  reason: string;
}

export async function manualSources(paths: string[]): Promise<{ files: ManualSource[]; skipped: SkippedSource[] }> {
  const files: ManualSource[] = [];
  const skipped: SkippedSource[] = [];
  const seen = new Set<string>();
  const add = async (path: string, name: string, size: number) => {
    const real = await realpath(path);
    if (seen.has(real)) return;
    seen.add(real);
    const problem = sizeProblem(size);
    if (problem) skipped.push({ name, reason: problem });
    else files.push({ path: real, name });
  };
  for (const p of paths) {
    // Unreadable or missing: listed as skipped with its reason.
    const st = await stat(p).catch(() => null);
    if (!st) skipped.push({ name: basename(p), reason: `${p}: no such file or folder` });
    else if (st.isDirectory()) await walk(await realpath(p));
    else if (st.isFile()) await add(p, basename(p), st.size);
    else skipped.push({ name: basename(p), reason: `${p}: not a file or folder` });
  }
  return { files, skipped };

  async function walk(dir: string, root = dir): Promise<void> {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path, root);
      else if (e.isFile() && kindOf(e.name)) await add(path, e.name, (await stat(path)).size);
      else if (e.isSymbolicLink()) await link(path, e.name, root);
      else if (kindOf(e.name)) skipped.push({ name: e.name, reason: `${path}: not a regular file` });
    }
  }

  async function link(path: string, name: string, root: string): Promise<void> {
    // A dangling or unreadable link: listed as skipped just below.
    const target = await realpath(path).catch(() => null);
    const st = target ? await stat(target).catch(() => null) : null;
    if (!target || !st) {
      if (kindOf(name)) skipped.push({ name, reason: `${path}: a symbolic link to nothing` });
      return;
    }
    if (!st.isDirectory() && !kindOf(name)) return;
    if (!inside(root, target)) {
      skipped.push({ name, reason: `${path} is a symbolic link to ${target}, outside ${root}: not followed` });
      return;
    }
    // A folder linked from inside is walked at its real place; a file is imported once, from there.
    if (st.isFile()) await add(target, basename(target), st.size);
  }
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}
