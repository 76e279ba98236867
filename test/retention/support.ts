// Shared bits of the retention tests: a small binary model with a protected attribute,
// deterministic events with actuals, and one query that asks every metric family.
import type { TestServer } from '../helpers/server.js';
import { HOUR_MS } from '../../src/domain/time.js';

export const KEY = 'retention-test-admin-key-0123456789';

export async function createRetentionModel(s: TestServer, name: string, key?: string): Promise<void> {
  const input = {
    name,
    task: 'BINARY_CLASSIFICATION',
    positiveClass: 'yes',
    features: [
      { name: 'x', type: 'NUMERIC' },
      { name: 'c', type: 'CATEGORICAL', protected: true },
    ],
  };
  const r = await s.gql(`mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, { input }, key);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

/** A pseudo-random but reproducible number in [0, 1) for event i. */
const rnd = (i: number, salt: number) => {
  const v = Math.sin(i * 12.9898 + salt * 78.233) * 43758.5453;
  return v - Math.floor(v);
};

/** `perHour` events in each hour of [start, start + hours h), ids `${prefix}-${n}`, actuals on 4 in 5. */
export function events(prefix: string, start: number, hours: number, perHour: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let h = 0; h < hours; h++) {
    for (let k = 0; k < perHour; k++) {
      const i = h * perHour + k;
      const score = Math.round(rnd(i, 1) * 1000) / 1000;
      out.push({
        eventId: `${prefix}-${i}`,
        timestamp: new Date(start + h * HOUR_MS + Math.floor((k * HOUR_MS) / perHour)).toISOString(),
        features: { x: Math.round((rnd(i, 2) * 50 + h / 10) * 100) / 100, c: ['a', 'b', 'c'][i % 3] },
        score,
        predictedLabel: score >= 0.5 ? 'yes' : 'no',
        ...(i % 5 === 4 ? {} : { actualLabel: rnd(i, 3) < score ? 'yes' : 'no' }),
      });
    }
  }
  return out;
}

export const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

export async function ingest(s: TestServer, model: string, kind: 'predictions' | 'actuals' | 'baseline', rows: unknown[], key?: string): Promise<any> {
  const r = await s.post(`/v1/models/${model}/${kind}`, ndjson(rows), { 'content-type': 'application/x-ndjson', ...(key ? { authorization: `Bearer ${key}` } : {}) });
  if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
  return r.json;
}

/** Every metric family over [from, to), as the API answers it. */
export const EVERYTHING = `query($m: String!, $from: DateTime!, $to: DateTime!) { model(name: $m) {
  drift(from: $from, to: $to) { feature sampleSize baselineSize psi jsDistance ksStatistic ksPValue wasserstein chi2Statistic chi2PValue }
  outputDrift(from: $from, to: $to) { feature sampleSize psi jsDistance ksStatistic wasserstein }
  integrity(from: $from, to: $to) { feature count missingRate typeMismatchRate outOfRangeRate newCategoryRate }
  performance(from: $from, to: $to) { count labeledCount labelCoverage accuracy precision recall f1 falsePositiveRate auc logLoss brierScore }
  fairness(attribute: "c", from: $from, to: $to) { demographicParityDifference disparateImpactRatio equalOpportunityDifference equalizedOddsDifference groups { group count selectionRate truePositiveRate falsePositiveRate } }
  traffic(from: $from, to: $to) { predictionCount meanScore labelCoverage }
  series(metric: PSI, feature: "x", from: $from, to: $to, granularity: DAY) { start value sampleSize }
} }`;

export async function everything(s: TestServer, model: string, from: number, to: number, key?: string): Promise<any> {
  const r = await s.gql(EVERYTHING, { m: model, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, key);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.model;
}

export const STORAGE = `query($m: String!) { model(name: $m) { storage { rawEvents oldestRawEvent newestEvent retentionDays purgedBefore } } }`;

export async function storage(s: TestServer, model: string, key?: string): Promise<any> {
  const r = await s.gql(STORAGE, { m: model }, key);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.model.storage;
}
