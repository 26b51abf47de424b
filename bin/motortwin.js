#!/usr/bin/env node
// `motortwin`: runs the command built to JavaScript in out/cli/ (made on `npm install` and before `npm pack`).
// In a source checkout a build older than its sources is rebuilt first, so a call never runs older code than
// the checkout holds; an installed package has no sources and runs its build as shipped.
import { existsSync } from 'node:fs';

const checkout = new URL('../scripts/cliBuild.mjs', import.meta.url);
if (existsSync(checkout)) await (await import(checkout.href)).ensureCliBuilt();
const { main } = await import('../out/cli/index.js');
process.exitCode = await main(process.argv.slice(2));
