import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const version = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version;

// Three separate entries, as in electron-vite's templates: main (with the engine's utility process),
// preload (CommonJS, so the renderer stays sandboxed) and renderer (no Node).
export default defineConfig({
  main: {
    define: { __MOTORTWIN_VERSION__: JSON.stringify(version) },
    build: {
      rollupOptions: {
        input: { index: resolve('src/main/app/main.ts'), engine: resolve('src/main/app/engineProcess.ts') },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
  },
});
