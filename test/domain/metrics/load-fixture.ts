// Reads a folder of ../shared/fixtures into the shapes the pure metric code takes, and
// compares results with expected.json under METRICS.md's tolerances (as check-metrics does).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModelRecord } from '../../../src/domain/model.js';
import type { BaselineRow } from '../../../src/domain/metrics/profile.js';
import type { StatsEvent } from '../../../src/domain/metrics/window-stats.js';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
export const FIXTURE_NAMES = ['seattle-weather', 'penguins'] as const;

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

const COUNTS = new Set(['sampleSize', 'baselineSize', 'count', 'labeledCount', 'predictionCount']);

/** A mismatch description, or null when `got` is within METRICS.md's tolerance of `exp`. */
export function mismatch(key: string, exp: number | null, got: unknown): string | null {
  const bad = () => `${key}: expected ${exp}, got ${String(got)}`;
  if (exp === null) return got === null ? null : bad();
  if (typeof got !== 'number' || !Number.isFinite(got)) return bad();
  if (COUNTS.has(key)) return got === exp ? null : bad();
  if (key === 'ksStatistic') return Math.abs(got - exp) <= 0.005 ? null : bad();
  if (key === 'auc') return Math.abs(got - exp) <= 0.001 ? null : bad();
  if (key === 'wasserstein') return Math.abs(got - exp) <= Math.max(1e-9, 0.01 * Math.abs(exp)) ? null : bad();
  if (key === 'ksPValue') {
    if (got < 0 || got > 1) return bad();
    if (exp < 0.01) return got < 0.05 ? null : bad();
    if (exp > 0.2) return got >= 0.05 ? null : bad();
    return null;
  }
  if (key === 'chi2PValue') return Math.abs(got - exp) <= Math.max(1e-15, 1e-6 * Math.abs(exp)) ? null : bad();
  return Math.abs(got - exp) <= Math.max(1e-12, 1e-9 * Math.abs(exp)) ? null : bad();
}

/** Every mismatch between an expected object and the computed one, prefixed by `where`. */
export function compareObject(where: string, exp: Record<string, unknown>, got: Record<string, unknown> | null | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(exp)) {
    if (k === 'groups') continue;
    const m = mismatch(k, v as number | null, got?.[k]);
    if (m) out.push(`${where}.${m}`);
  }
  return out;
}
