// The repository contract (repos.contract.ts) on SQLite: a fresh file per test, opened
// twice for the tests that need two connections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../src/db/client.js';
import { describeRepos } from './repos.contract.js';

const opened: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describeRepos('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-repos-'));
  dirs.push(dir);
  const store = openStore(join(dir, 'test.db'));
  const second = openStore(join(dir, 'test.db'), { migrate: false });
  opened.push(store, second);
  return {
    store,
    second,
    outsideWaits: true,
    lockWaited: async () => {},
    query: async (sql) => {
      const st = store.sqlite.prepare(sql);
      if (st.reader) return st.all() as Array<Record<string, unknown>>;
      st.run();
      return [];
    },
    addEvent: async (modelId, eventId, ts) => {
      store.sqlite.prepare(`INSERT INTO events (model_id, event_id, ts, features) VALUES (?, ?, ?, '{}')`).run(modelId, eventId, ts);
    },
  };
});
