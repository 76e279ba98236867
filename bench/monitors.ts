// How long 200 monitors sharing one cron minute take to evaluate on one model with a day
// of traffic, against the bare metric computations they need (the ratio is what the
// state machine, the transaction and the outbox add). `npm run bench -- monitors`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/db/client.js';
import { fixedClock } from '../src/clock.js';
import { silentLogger } from '../src/log.js';
import type { Deps } from '../src/services/deps.js';
import { createModel, requireModel } from '../src/services/models.js';
import { setBaseline } from '../src/services/baselines.js';
import { logPredictions } from '../src/services/ingest.js';
import { createMonitor } from '../src/services/monitors.js';
import { computeMetric } from '../src/services/metrics.js';
import { run as evaluateDue } from '../src/jobs/evaluate-monitors.js';
import { HOUR_MS } from '../src/domain/time.js';

const T0 = Date.parse('2024-05-06T00:00:00Z');
const HOUR = HOUR_MS;
const actor = { name: 'bench', role: 'ADMIN' as const };

export async function runMonitorsBench(opts: { monitors?: number; eventsPerHour?: number }): Promise<void> {
  const nMonitors = opts.monitors ?? 200;
  const perHour = opts.eventsPerHour ?? 1000;
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-mon-'));
  const store = openStore(join(dir, 'b.db'));
  const deps: Deps = { store, clock: fixedClock(T0 + 24 * HOUR), log: silentLogger() };
  try {
    const features = Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, type: 'NUMERIC' as const }));
    await createModel(deps, actor, { name: 'bench', task: 'BINARY_CLASSIFICATION', positiveClass: 'y', features });
    const row = (i: number, shift: number) => ({ ...Object.fromEntries(features.map((f, k) => [f.name, ((i * (k + 3)) % 97) + shift])) });
    await setBaseline(deps, actor, 'bench', Array.from({ length: 5000 }, (_, i) => ({ features: row(i, 0), score: (i % 100) / 100 })));
    for (let h = 0; h < 24; h++) {
      const start = T0 + h * HOUR;
      const events = Array.from({ length: perHour }, (_, i) => ({ eventId: `${h}-${i}`, timestamp: new Date(start + Math.floor((i * HOUR) / perHour)).toISOString(), features: row(i, h >= 18 ? 60 : 0), score: (i % 100) / 100 }));
      await logPredictions(deps, actor, 'bench', events);
    }
    for (let i = 0; i < nMonitors; i++) {
      await createMonitor(deps, actor, { model: 'bench', name: `m${i}`, metric: i % 2 ? 'PSI' : 'KS_STATISTIC', feature: `f${i % 10}`, window: '24h', schedule: '* * * * *', comparator: 'GT', warningThreshold: 0.1, criticalThreshold: 0.2 });
    }
    const model = await requireModel(deps, 'bench');
    const at = T0 + 24 * HOUR;

    let t = performance.now();
    for (let i = 0; i < nMonitors; i++) {
      await computeMetric(deps, model, { metric: i % 2 ? 'PSI' : 'KS_STATISTIC', feature: `f${i % 10}`, from: at - 24 * HOUR, to: at });
    }
    const bare = performance.now() - t;

    t = performance.now();
    const ran = await evaluateDue(deps, at);
    const full = performance.now() - t;

    const alerts = (store.sqlite.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
    console.log(`monitors: ${ran}/${nMonitors} evaluated at one tick over ${24 * perHour} events (24h window); ${alerts} alerts opened`);
    console.log(`  bare computeMetric x${nMonitors}: ${bare.toFixed(0)} ms; evaluate (decide + record + outbox): ${full.toFixed(0)} ms; ratio ${(full / bare).toFixed(2)}; ${(full / nMonitors).toFixed(1)} ms per monitor`);
  } finally {
    deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

