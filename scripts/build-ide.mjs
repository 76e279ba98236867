#!/usr/bin/env node
// Bundles the GraphQL IDE (GraphiQL, React) into dist/ide/ with esbuild, so the server
// serves it from the package itself: no CDN, no telemetry, works offline.
// Skipped with one line when the dev dependencies are absent (an install with --omit=dev).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'ide');
const require = createRequire(join(root, 'package.json'));

let esbuild;
try {
  require.resolve('graphiql');
  esbuild = await import('esbuild');
} catch {
  console.log('build-ide: graphiql or esbuild is not installed (dev dependencies); the server will say the IDE is not built');
  process.exit(0);
}

mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: { graphiql: join(root, 'ide', 'main.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir: out,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  legalComments: 'linked',
});
// GraphiQL's stylesheet, as shipped (checked by the tests to reference nothing remote)
await esbuild.build({
  entryPoints: { graphiql: require.resolve('graphiql/graphiql.css') },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
  loader: { '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
});
const version = JSON.parse(readFileSync(require.resolve('graphiql/package.json'), 'utf8')).version;
console.log(`build-ide: GraphiQL ${version} bundled into dist/ide/`);
