#!/usr/bin/env node
// `npm run codegen`: regenerates src/graphql/generated/resolvers.ts and console/src/gql/ from schema/*.graphql.
// graphql-codegen is not a dev dependency (its packages want Node 22, and a clean install on
// Node 20 must stay quiet), so it is installed on demand into a cache folder outside the
// project and run from there, on this project's files (GLASSBOX_ROOT, read by codegen.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = ['@graphql-codegen/cli@7.4.2', '@graphql-codegen/add@7.1.1', '@graphql-codegen/typescript@6.1.0', '@graphql-codegen/typescript-resolvers@6.1.0', '@graphql-codegen/client-preset@6.2.0', 'graphql@16.11.0'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// the folder is named by the package list, so a changed list installs afresh
const cache = join(tmpdir(), `glassbox-codegen-${createHash('sha256').update(PACKAGES.join(' ')).digest('hex').slice(0, 12)}`);
const bin = join(cache, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync(bin)) {
  console.log(`codegen: installing ${PACKAGES.join(' ')} into ${cache} (once)`);
  execFileSync(npm, ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...PACKAGES], { stdio: 'inherit' });
}
execFileSync(process.execPath, [bin, '--config', join(root, 'codegen.ts')], { cwd: cache, stdio: 'inherit', env: { ...process.env, GLASSBOX_ROOT: root } });
