#!/usr/bin/env node
// Builds the console (console/: Preact, uPlot) into dist/console/ with Vite, after checking
// its types (console/tsconfig.json), and prints the size of what a browser downloads.
// Skipped with one line when the dev dependencies are absent (an install with --omit=dev).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

let vite;
try {
  require.resolve('preact');
  require.resolve('uplot');
  vite = await import('vite');
} catch {
  console.log('build-console: vite, preact or uplot is not installed (dev dependencies); the server will say the console is not built');
  process.exit(0);
}

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'console', 'tsconfig.json')], { stdio: 'inherit' });
await vite.build({ configFile: join(root, 'console', 'vite.config.ts') });

const out = join(root, 'dist', 'console');
const files = [];
const walk = (d) => readdirSync(d).forEach((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(join(d, f))));
walk(out);
let raw = 0;
let gz = 0;
for (const f of files) {
  const b = readFileSync(f);
  raw += b.length;
  gz += gzipSync(b).length;
}
console.log(`build-console: dist/console/ is ${files.length} files, ${(raw / 1024).toFixed(1)} kB (${(gz / 1024).toFixed(1)} kB gzipped)`);
