// What a retention run costs while ingest goes on: deleting 200,000 events (20 numeric
// features, 2 days old) in batches, alone and with a stream of new predictions ingested
// meanwhile on the same event loop. Prints ingest during the purge against ingest alone,
// and the longest stall between two ingest batches. `npm run bench -- retention`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/db/client.js';
import { fixedClock } from '../src/clock.js';
import { silentLogger } from '../src/log.js';
import type { Deps } from '../src/services/deps.js';
import { createModel } from '../src/services/models.js';
import { logPredictions } from '../src/services/ingest.js';
import { applyRetention } from '../src/services/retention.js';
import { RETENTION_BATCH } from '../src/store/sqlite/data/retention.js';
import { DAY_MS } from '../src/domain/time.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const actor = { name: 'bench', role: 'ADMIN' as const };

function rows(prefix: string, n: number, from: number, span: number) {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${prefix}-${i}`,
    timestamp: new Date(from + Math.floor((i * span) / n)).toISOString(),
    features: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`f${j}`, (i * (j + 7)) % 1000])),
    score: (i % 100) / 100,
    actualLabel: i % 2 ? 'y' : 'n',
  }));
}

async function ingestAll(deps: Deps, list: unknown[], gaps?: number[]): Promise<number> {
  const t = performance.now();
  let last = t;
  for (let b = 0; b < list.length; b += 2000) {
    await logPredictions(deps, actor, 'm', list.slice(b, b + 2000));
    await new Promise((r) => setImmediate(r)); // let a retention batch in, as a server's event loop would
    const now = performance.now();
    gaps?.push(now - last);
    last = now;
  }
  return list.length / ((performance.now() - t) / 1000);
}

export async function runRetentionBench(opts: { events?: number }): Promise<void> {
  const n = opts.events ?? 200_000;
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-ret-'));
  const deps: Deps = { store: openStore(join(dir, 'b.db')), clock: fixedClock(T0 + 4 * DAY_MS), log: silentLogger() };
  try {
    const features = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, type: 'NUMERIC' as const }));
    await createModel(deps, actor, { name: 'm', task: 'BINARY_CLASSIFICATION', positiveClass: 'y', features });
    for (let b = 0; b < n; b += 10_000) await logPredictions(deps, actor, 'm', rows(`old${b}`, Math.min(10_000, n - b), T0 + (b / n) * 2 * DAY_MS, (10_000 / n) * 2 * DAY_MS));
    const idle = await ingestAll(deps, rows('idle', 20_000, T0 + 3 * DAY_MS, DAY_MS));
    const gaps: number[] = [];
    const t = performance.now();
    const purge = applyRetention(deps, actor, { defaultDays: 1 }).then((r) => ({ ...r, ms: performance.now() - t }));
    const during = await ingestAll(deps, rows('live', 20_000, T0 + 3 * DAY_MS, DAY_MS), gaps);
    const p = await purge;
    gaps.sort((a, b) => a - b);
    console.log(`retention: ${p.deletedEvents} events deleted in ${Math.round(p.ms)} ms (${Math.round(p.deletedEvents / (p.ms / 1000))}/s, batches of ${RETENTION_BATCH}, ingest running alongside); file ${(statSync(join(dir, 'b.db')).size / 2 ** 20).toFixed(1)} MiB`);
    console.log(`retention: ingest alone ${Math.round(idle)} rows/s, during the purge ${Math.round(during)} rows/s: ratio ${(during / idle).toFixed(2)}; between two 2000-row ingest batches median ${gaps[gaps.length >> 1]!.toFixed(0)} ms, longest ${gaps.at(-1)!.toFixed(0)} ms`);
  } finally {
    deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
