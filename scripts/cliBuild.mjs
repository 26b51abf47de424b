#!/usr/bin/env node
// Builds the `motortwin` command and the engine to JavaScript (out/cli/), so a call starts without compiling
// TypeScript. Dependencies stay outside the bundle and load from node_modules as installed (the native ones,
// @duckdb/node-api and serialport, can only load from there). Each command is its own chunk, loaded when it
// runs. Runs on `npm install` (prepare), before `npm pack`, and from bin/motortwin.js in a source checkout
// whenever a source the build was made from is newer than the build (`ensureCliBuilt`).
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'out', 'cli');
/** What the build was made from (sources, package.json for the version, this script), and when. */
const MANIFEST = join(OUT, 'build.json');

/** `pkg/lib/file` without an extension resolves under a bundler but not under Node's ESM loader: name the file. */
const fullySpecifiedExternals = {
  name: 'fully-specified-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const parts = args.path.split('/');
      const name = parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      const sub = args.path.slice(name.length + 1);
      if (!sub || /\.[cm]?js$|\.json$/.test(sub)) return { path: args.path, external: true };
      const file = createRequire(join(args.resolveDir, 'index.js')).resolve(args.path);
      let dir = dirname(file);
      while (!(dir.endsWith(`${sep}${name.split('/').join(sep)}`) && existsSync(join(dir, 'package.json')))) dir = dirname(dir);
      return { path: `${name}/${relative(dir, file).split(sep).join('/')}`, external: true };
    });
  },
};

export async function buildCli() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { index: 'src/main/cli/index.ts' },
    outdir: OUT,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    write: false,
    define: { __MOTORTWIN_VERSION__: JSON.stringify(version) },
    plugins: [fullySpecifiedExternals],
    logLevel: 'warning',
  });
  // Every file is written aside and renamed into place, the entry last, and files of an older build go after:
  // a `motortwin` starting meanwhile loads either the old build or the new one, never half of one.
  const written = new Set();
  const put = (path, contents) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, contents);
    renameSync(`${path}.${process.pid}.tmp`, path);
    written.add(path);
  };
  const entry = join(OUT, 'index.js');
  for (const f of result.outputFiles) if (f.path !== entry) put(f.path, f.contents);
  put(entry, result.outputFiles.find((f) => f.path === entry).contents);
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
  put(MANIFEST, JSON.stringify({ builtAt, inputs: [...inputs, 'package.json', 'scripts/cliBuild.mjs'] }));
  for (const f of readdirSync(OUT, { recursive: true }).map((p) => join(OUT, p))) {
    if (!written.has(f) && statSync(f).isFile() && !f.endsWith('.tmp')) rmSync(f);
  }
}

/** Why the build in out/cli/ is not what the sources say now, or null when it is. */
export function staleReason() {
  if (!existsSync(MANIFEST)) return 'there is no build yet';
  const { builtAt, inputs } = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  for (const input of inputs) {
    const file = join(ROOT, input);
    if (!existsSync(file)) return `${input} is gone`;
    if (statSync(file).mtimeMs > builtAt) return `${input} changed`;
  }
  return null;
}

/** In a source checkout: rebuilds out/cli/ when it is older than its sources, saying so on stderr. */
export async function ensureCliBuilt() {
  const reason = staleReason();
  if (!reason) return;
  process.stderr.write(`motortwin: building the command (${reason})…\n`);
  await buildCli();
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await buildCli();
