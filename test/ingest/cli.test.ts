// `glassbox ingest` as a user runs it: a separate process on the server's database file,
// CSV typed by the model's features, NDJSON, a summary, and idempotency across processes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectTestStore } from '../helpers/test-store.js';
import { silentLogger } from '../../src/log.js';
import { runIngestFile, summarize } from '../../src/cli/ingest.js';
import { ADMIN_KEY, createFixtureModel, fixture, ingestCli, postNdjson, storedEvents } from './support.js';


let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  await createFixtureModel(s, 'seattle-weather', 'sw');
});
afterAll(async () => {
  await s.stop(true);
});

const cli = (...args: string[]) => ingestCli(s.dbPath, ...args);

const events = fixture('seattle-weather', 'events.ndjson')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { eventId: string; timestamp: string; score: number; actualLabel?: string; features: Record<string, unknown> });

describe('glassbox ingest', () => {
  it('loads a CSV typed by the declared features, summarises, and another process sees every row', async () => {
    // the server loads its index of this model's event ids before the CLI writes
    const first = events[0]!;
    expect((await postNdjson(s, 'sw', 'predictions', JSON.stringify(first))).json.accepted).toBe(1);

    const head = 'eventId,timestamp,score,actualLabel,precipitation,temp_max,temp_min,wind,weather';
    const rows = events.slice(0, 300).map((e) => {
      const f = e.features;
      return [e.eventId, e.timestamp, e.score, e.actualLabel ?? '', f.precipitation, f.temp_max, f.temp_min, f.wind, f.weather].join(',');
    });
    rows[5] = rows[5]!.replace(/,[^,]*$/, ',"sun, mostly"').replace(/^([^,]*,[^,]*),[^,]*/, '$1,');
    rows[7] = `${events[7]!.eventId},${events[7]!.timestamp},0.5,,n/a,1,2,3,fog`;
    const file = join(s.dir, 'events.csv');
    writeFileSync(file, [head, ...rows].join('\n') + '\n');
    const r = await cli('--model', 'sw', file);
    expect(r.stdout).toContain('sw: predictions from');
    expect(r.stdout).toContain('298 accepted, 1 duplicates, 1 rejected');
    expect(r.stdout).toMatch(/line 7 \(sw-2013-01-06\): score: a binary classifier needs a score/);
    expect(r.code).toBe(2);

    const stored = (await storedEvents(s, 'sw'));
    expect(stored).toHaveLength(299);
    const mismatch = stored.find((e) => e.event_id === events[7]!.eventId)!;
    expect(JSON.parse(mismatch.features)).toEqual({ precipitation: 'n/a', temp_max: 1, temp_min: 2, wind: 3, weather: 'fog' });
    expect(JSON.parse(stored[1]!.features)).toEqual(events[1]!.features);

    // rows the CLI committed are duplicates for the server, whose index was loaded before
    const again = await postNdjson(s, 'sw', 'predictions', events.slice(0, 300).map((e) => JSON.stringify(e)).join('\n'));
    expect(again.json).toMatchObject({ accepted: 1, duplicates: 299, rejected: 0 });
  });

  it('loads NDJSON actuals and a baseline, and refuses an unknown format or model', async () => {
    // in-process through the command's own function, on a second connection to the database
    const store = await connectTestStore(s.dbPath);
    const deps = { store, clock: s.clock, log: silentLogger() };
    try {
      const actuals = join(s.dir, 'actuals.ndjson');
      writeFileSync(actuals, fixture('seattle-weather', 'actuals.ndjson'));
      const opts = { model: 'sw', kind: 'actuals' as const, file: actuals };
      const a = await runIngestFile(deps, opts);
      expect(summarize(opts, a)).toContain('sw: actuals from');
      expect(a).toEqual({ accepted: 1048, duplicates: 0, rejected: 0, errors: [] });
      const baseline = join(s.dir, 'baseline.jsonl');
      writeFileSync(baseline, fixture('seattle-weather', 'baseline.ndjson'));
      expect((await runIngestFile(deps, { model: 'sw', kind: 'baseline', file: baseline })).accepted).toBe(366);
      const m = await s.gql(`{ model(name: "sw") { baseline { rowCount } } }`, {}, ADMIN_KEY);
      expect(m.data.model.baseline).toEqual({ rowCount: 366 });
      await expect(runIngestFile(deps, { model: 'sw', kind: 'predictions', file: join(s.dir, 'x.parquet') })).rejects.toThrow(/unknown format/);
      await expect(runIngestFile(deps, { model: 'nope', kind: 'actuals', file: actuals })).rejects.toThrow(/model "nope" not found/);
    } finally {
      await store.close();
    }
  });
});
