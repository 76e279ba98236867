// Reads a folder of test/fixtures into the shapes the pure metric code takes; results are
// compared with expected.json under docs/metrics.md's tolerances (test/helpers/metric-tolerance.ts).
import { readFileSync } from 'node:fs';
import type { ModelRecord } from '../../../src/domain/model.js';
import type { BaselineRow } from '../../../src/domain/metrics/profile.js';
import type { StatsEvent } from '../../../src/domain/metrics/window-stats.js';

import { FIXTURES_DIR, FIXTURE_NAMES } from '../../helpers/fixture-files.js';
export { FIXTURES_DIR, FIXTURE_NAMES };
export { compareObject, mismatch } from '../../helpers/metric-tolerance.js';

export interface FixtureEvent extends StatsEvent {
  eventId: string;
  ts: number;
}

export interface Fixture {
  model: ModelRecord;
  baseline: BaselineRow[];
  events: FixtureEvent[];
  expected: { windows: Array<Record<string, any> & { from: string; to: string }> };
}

const ndjson = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** The fixture with every actual joined to its event (as ingest would store them). */
export function loadFixture(name: string): Fixture {
  const dir = FIXTURES_DIR + name + '/';
  const m = JSON.parse(readFileSync(dir + 'model.json', 'utf8'));
  const model: ModelRecord = {
    id: 1,
    name: m.name,
    task: m.task,
    description: m.description ?? null,
    positiveClass: m.positiveClass ?? null,
    decisionThreshold: m.decisionThreshold ?? null,
    features: m.features.map((f: any) => ({ name: f.name, type: f.type, protected: !!f.protected, min: f.min ?? null, max: f.max ?? null })),
    createdAt: 0,
    updatedAt: 0,
  };
  const baseline: BaselineRow[] = ndjson(dir + 'baseline.ndjson').map((r) => ({
    features: r.features,
    score: r.score ?? null,
    predictedLabel: r.predictedLabel ?? null,
    value: r.value ?? null,
    actualLabel: r.actualLabel ?? null,
    actualValue: r.actualValue ?? null,
  }));
  const actuals = new Map<string, any>(ndjson(dir + 'actuals.ndjson').map((a) => [a.eventId, a]));
  const events: FixtureEvent[] = ndjson(dir + 'events.ndjson').map((e) => {
    const a = actuals.get(e.eventId);
    return {
      eventId: e.eventId,
      ts: Date.parse(e.timestamp),
      features: e.features,
      score: e.score ?? null,
      predictedLabel: e.predictedLabel ?? null,
      value: e.value ?? null,
      actualLabel: a?.actualLabel ?? e.actualLabel ?? null,
      actualValue: a?.actualValue ?? e.actualValue ?? null,
    };
  });
  const expected = JSON.parse(readFileSync(dir + 'expected.json', 'utf8'));
  return { model, baseline, events, expected };
}
