#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx), so `npx motortwin …` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
