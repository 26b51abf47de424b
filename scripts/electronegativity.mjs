#!/usr/bin/env node
// `npm run security:electron [DIR…]`: Doyensec's Electronegativity over the desktop shell's sources (main, preload
// and the renderer page by default). Every finding must be listed with a reason in
// security/electronegativity-accepted.json, or this exits 1. It runs offline: the tool's own downloads
// (translations, Electron's release list) are cut off before it starts, and the check that needs the release
// list is excluded (listed, with why, in the same file).
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'node_modules/@doyensec/electronegativity/dist/runner.js'));

// `got` is what the tool downloads with; any call fails at once, and the tool falls back to its bundled files.
const gotPath = require.resolve('got');
const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) };

const accepted = JSON.parse(readFileSync(join(ROOT, 'security/electronegativity-accepted.json'), 'utf8'));
const inputs = process.argv.slice(2).length ? process.argv.slice(2) : ['src/main/app', 'src/preload', 'src/renderer/index.html'];

const run = require('./runner.js');
// The tool prints through winston; its warnings about a missing Electron version are noise for a source folder.
const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;

// One scan over a copy of all inputs, so the tool's global checks (CSP, navigation limits, permission handler)
// see the main process, the preload and the page together, as in the app. Tests are left out.
const scanned = mkdtempSync(join(tmpdir(), 'electronegativity-'));
for (const input of inputs) {
  const abs = resolve(ROOT, input);
  const rel = relative(ROOT, abs).startsWith('..') ? join('external', abs) : relative(ROOT, abs);
  cpSync(abs, join(scanned, rel), { recursive: true, filter: (f) => !/\.test\.tsx?$/.test(f) });
}
/** The finding's line of code; global findings (no CSP anywhere, no navigation limits) have no file. */
const sourceLine = (file, line) => (existsSync(file) && line > 0 ? (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').trim() : '');
let unexplained = 0;
let total = 0;
try {
  const excludeFromScan = accepted.excludedChecks.map((c) => c.check.toLowerCase());
  // Its only chatter is the failed download of translations we cut off above.
  const log = console.log;
  console.log = (...args) => (/Could not retrieve updated translations/.test(String(args[0])) ? undefined : log(...args));
  const { issues, errors } = await run({ input: scanned, customScan: [], excludeFromScan, electronVersionOverride: electronVersion, isRelative: true, isVerbose: false, parserPlugins: [] }, false);
  console.log = log;
  for (const e of errors.filter((x) => !x.tolerable)) {
    unexplained++;
    console.log(`ERROR  ${relative(scanned, e.file)}: could not parse: ${e.message}`);
  }
  for (const issue of issues) {
    total++;
    const file = issue.file;
    // An accepted finding names the code it is about, so a new finding of the same kind in the same file is not hidden.
    const code = issue.sample ? String(issue.sample) : sourceLine(join(scanned, file), issue.location.line);
    const reason = accepted.findings.find((f) => f.check === issue.id && f.file === file && code.includes(f.at))?.reason;
    if (reason) console.log(`ok     ${issue.id} ${file}:${issue.location.line} ${code} (accepted: ${reason})`);
    else {
      unexplained++;
      console.log(`FOUND  ${issue.id} ${file}:${issue.location.line} ${code} ${issue.severity?.name ?? ''}: ${issue.description}`);
    }
  }
} finally {
  rmSync(scanned, { recursive: true, force: true });
}
console.log(`electronegativity: ${total} findings, ${total - unexplained} accepted with a reason, ${unexplained} unexplained`);
process.exit(unexplained ? 1 : 0);
