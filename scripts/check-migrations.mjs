#!/usr/bin/env node
// Fails when the drizzle schema (src/db/schema) and the committed migrations (drizzle/)
// disagree: runs `drizzle-kit generate` against a copy of drizzle/ and checks that it
// has nothing to write.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(process.cwd());
const tmp = mkdtempSync(join(tmpdir(), 'glassbox-migrations-'));
try {
  const out = join(tmp, 'drizzle');
  cpSync(join(root, 'drizzle'), out, { recursive: true });
  const before = new Set(readdirSync(out));
  const config = join(root, `.drizzle-check-${process.pid}.config.mjs`);
  writeFileSync(
    config,
    `export default { dialect: 'sqlite', schema: ${JSON.stringify(join(root, 'src/db/schema/*.ts'))}, out: ${JSON.stringify(out)} };\n`,
  );
  const r = spawnSync('npx', ['drizzle-kit', 'generate', '--config', config], { cwd: root, encoding: 'utf8' });
  rmSync(config, { force: true });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    console.error('check-migrations: drizzle-kit generate failed');
    process.exit(1);
  }
  const added = readdirSync(out).filter((f) => !before.has(f));
  if (added.length > 0) {
    console.error(`check-migrations: src/db/schema has changes without a migration (${added.join(', ')}); run npm run db:generate and commit drizzle/`);
    process.exit(1);
  }
  console.log('check-migrations: the committed migrations match the schema');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
