#!/usr/bin/env -S node --no-memory-reducer
// `motortwin`: runs the command built to JavaScript in out/cli/ (made on `npm install` and before `npm pack`).
// In a source checkout a build older than its sources is rebuilt first, so a call never runs older code than
// the checkout holds; an installed package has no sources and runs its build as shipped.
// --no-memory-reducer (also in package.json's `serve` script): V8's memory reducer shrinks the heap the start
// grew with up to three full collections a minute or two later; in an idle `serve` that was 0.1-0.2 CPU s at once,
// 1.1-1.3 % of a core over its 15 s window (issue 16 wants under 1 % in every one). Without it the heap keeps
// ~20 MB more resident. Node refuses the flag in NODE_OPTIONS, and v8.setFlagsFromString comes after V8 has set
// up the heap and its reducer, so it goes on the line that starts Node (npm's Windows shims read it here too).
import { existsSync } from 'node:fs';

const checkout = new URL('../scripts/cliBuild.mjs', import.meta.url);
if (existsSync(checkout)) await (await import(checkout.href)).ensureCliBuilt();
const { main } = await import('../out/cli/index.js');
process.exitCode = await main(process.argv.slice(2));
