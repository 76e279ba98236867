// The console's build: Preact and uPlot bundled into dist/console/ (served by the server at
// GET /), every asset local, hashed names under assets/ so that they can be cached for good.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // assets under /console/ (served by src/http/console.ts); the page itself answers at / and the client routes
  base: '/console/',
  logLevel: 'warn',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // one small app: a single script and a single stylesheet
    modulePreload: false,
  },
});
