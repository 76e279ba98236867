#!/usr/bin/env node
// Fails when a store's drizzle schema and its committed migrations disagree: for each store
// (SQLite: src/db/schema -> drizzle/sqlite; PostgreSQL: src/store/postgres/schema ->
// drizzle/postgres) runs `drizzle-kit generate` against a copy of the migrations folder and
// checks that it has nothing to write. The copy lives under the project root and is named
// relatively: drizzle-kit 0.31 prefixes `out` with './' (an absolute path then fails to
// read the snapshots) and exits 0 on that error, so its output is checked for errors too.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(process.cwd());
const stores = [
  { dialect: 'sqlite', schema: 'src/db/schema', out: 'drizzle/sqlite' },
  { dialect: 'postgresql', schema: 'src/store/postgres/schema', out: 'drizzle/postgres' },
];

/** The files drizzle-kit would add to a copy of `out`, or null when it failed. */
function pending({ dialect, schema, out }) {
  const tmp = `.drizzle-check-${process.pid}`;
  const config = join(root, tmp, 'config.mjs');
  try {
    const copy = `${tmp}/out`;
    mkdirSync(join(root, tmp));
    cpSync(join(root, out), join(root, copy), { recursive: true });
    const before = new Set(readdirSync(join(root, copy)));
    writeFileSync(config, `export default { dialect: ${JSON.stringify(dialect)}, schema: ${JSON.stringify(`./${schema}/*.ts`)}, out: ${JSON.stringify(`./${copy}`)} };\n`);
    const r = spawnSync('npx', ['drizzle-kit', 'generate', '--config', config], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0 || /error/i.test(r.stderr) || /error/i.test(r.stdout)) {
      process.stderr.write(r.stdout + r.stderr);
      return null;
    }
    return readdirSync(join(root, copy)).filter((f) => !before.has(f));
  } finally {
    rmSync(join(root, tmp), { recursive: true, force: true });
  }
}

let failed = false;
for (const store of stores) {
  const added = pending(store);
  if (added === null) {
    console.error(`check-migrations: drizzle-kit generate failed for ${store.out}`);
    failed = true;
  } else if (added.length > 0) {
    console.error(`check-migrations: ${store.schema} has changes without a migration (${added.join(', ')}); run npm run db:generate and commit ${store.out}/`);
    failed = true;
  } else {
    console.log(`check-migrations: ${store.out} matches ${store.schema}`);
  }
}
process.exit(failed ? 1 : 0);
