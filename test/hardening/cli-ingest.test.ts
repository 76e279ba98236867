// Issue 17 item 4 and issue 16's CLI items: a failed `glassbox ingest` says what it kept
// and how to go on, rejected lines are numbered as an editor numbers them, --help names
// the CSV columns, and an unknown model suggests the closest name.
import { execFileSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createModel, ingestCli, storedEvents } from '../ingest/support.js';
import { runIngestFile, summarize, summarizeInterrupted } from '../../src/cli/ingest.js';
import { IngestInterrupted } from '../../src/services/ingest.js';
import { openStore } from '../../src/db/client.js';
import { onSqlite, sqliteOf } from '../helpers/test-store.js';
import { silentLogger } from '../../src/log.js';


let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  await createModel(s, 'credit');
});
afterAll(async () => {
  await s.stop(true);
});

const cli = (...args: string[]) => ingestCli(s.dbPath, ...args);

const row = (i: number) => `ev-${i},${new Date(Date.UTC(2024, 4, 6) + i * 1000).toISOString()},0.${i % 10},${i % 97},k${i % 5}`;

describe('glassbox ingest, when things go wrong', () => {
  it('a CSV record it cannot read at line 4,501 is a rejected line; the rest is stored', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(i));
    rows[4499] = `${rows[4499]},one cell too many`; // line 4501 of the file, the header being line 1
    const file = join(s.dir, 'broken.csv');
    writeFileSync(file, ['eventId,timestamp,score,x,c', ...rows].join('\n') + '\n');
    const r = await cli('--model', 'credit', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('4999 accepted, 0 duplicates, 1 rejected');
    expect(r.stdout).toContain('  line 4501: record: Invalid Record Length: columns length is 5, got 6 on line 4501');
    expect((await storedEvents(s, 'credit'))).toHaveLength(4999);
  });

  // the failure is injected with SQLite's write lock (busy_timeout); on PostgreSQL a LOCK TABLE and a lock_timeout would do it
  it.runIf(onSqlite)('a run that stops midway says exactly what it kept and that running it again is safe', async () => {
    // the file is a pipe: 2,500 lines, then the database is locked (the CLI's write waits
    // 50 ms, then fails), then the rest
    const fifo = join(s.dir, 'feed.ndjson');
    execFileSync('mkfifo', [fifo]);
    const store = openStore(s.dbPath);
    store.sqlite.pragma('busy_timeout = 50');
    const deps = { store, clock: s.clock, log: silentLogger() };
    const line = (i: number) => JSON.stringify({ eventId: `p-${i}`, timestamp: '2024-05-06T00:00:00Z', features: { x: i }, score: 0.5 }) + '\n';
    const opts = { model: 'credit', kind: 'predictions' as const, file: fifo };
    try {
      const running = runIngestFile(deps, opts).then(
        () => null,
        (err: unknown) => err,
      );
      const feed = createWriteStream(fifo);
      feed.write(Array.from({ length: 2500 }, (_, i) => line(i)).join(''));
      const stored = () => sqliteOf(s.deps.store).sqlite.prepare("SELECT count(*) FROM events WHERE event_id LIKE 'p-%'").pluck().get() as number;
      while (stored() < 2000) await new Promise((r) => setImmediate(r));
      sqliteOf(s.deps.store).sqlite.exec('BEGIN IMMEDIATE');
      try {
        feed.end(Array.from({ length: 2500 }, (_, i) => line(2500 + i)).join(''));
        const err = await running;
        expect(err).toBeInstanceOf(IngestInterrupted);
        const text = summarizeInterrupted(opts, err as IngestInterrupted);
        expect(text).toMatch(/^credit: predictions from .* stopped: database is locked\n/);
        expect(text).toContain('  Kept: lines 1-2000 of the file are stored for good (2000 accepted, 0 duplicates');
        expect(text).toContain('nothing after line 2000 was stored.');
        expect(text).toContain('Resending is safe: events already stored are counted as duplicates, never stored twice.');
      } finally {
        sqliteOf(s.deps.store).sqlite.exec('ROLLBACK');
      }
      expect(stored()).toBe(2000);
    } finally {
      store.close();
    }
  });

  it('numbers rejected lines from 1, as an editor does, and says so', async () => {
    const store = s.deps;
    const nd = join(s.dir, 'some.ndjson');
    const good = (i: number) => JSON.stringify({ eventId: `n-${i}`, timestamp: '2024-05-06T00:00:00Z', features: { x: 1 }, score: 0.5 });
    writeFileSync(nd, [good(1), '', '{"eventId":"n-3","timestamp":"nope","features":{}}', good(4)].join('\n'));
    const opts = { model: 'credit', kind: 'predictions' as const, file: nd };
    const text = summarize(opts, await runIngestFile(store, opts));
    expect(text).toContain('2 accepted, 0 duplicates, 1 rejected');
    expect(text).toContain('rejected (line numbers count from 1, as in an editor):');
    expect(text).toContain('  line 3 (n-3): timestamp:');

    const csv = join(s.dir, 'some.csv');
    writeFileSync(csv, ['eventId,timestamp,score,x,c', row(9001), '', 'ev-9003,2024-05-06T00:00:00Z,7,1,k'].join('\n'));
    const c = { model: 'credit', kind: 'predictions' as const, file: csv };
    expect(summarize(c, await runIngestFile(store, c))).toContain('  line 4 (ev-9003): score: must be in [0, 1], got 7');
  });

  it('--help names the CSV columns; an unknown model suggests the closest name', async () => {
    const help = await cli('--help');
    for (const column of ['eventId', 'timestamp', 'features.<name>', 'score', 'predictedLabel', 'value', 'actualLabel', 'actualValue']) {
      expect(help.stdout).toContain(column);
    }
    expect(help.stdout).toContain('Line numbers in the output count from 1');
    const file = join(s.dir, 'x.ndjson');
    writeFileSync(file, '\n');
    await expect(runIngestFile(s.deps, { model: 'credt', kind: 'predictions', file })).rejects.toThrow('model "credt" not found; did you mean "credit"?');
    await expect(runIngestFile(s.deps, { model: 'zzzzzz', kind: 'predictions', file })).rejects.toThrow(/^model "zzzzzz" not found$/);
    const nd = await s.post('/v1/models/credits/predictions', '{}', { authorization: `Bearer ${ADMIN_KEY}` });
    expect(nd.status).toBe(404);
    expect(nd.json.error.message).toBe('model "credits" not found; did you mean "credit"?');
  });
});
