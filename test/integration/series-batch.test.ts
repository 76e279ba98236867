// Model.series aliases of one request are answered by one read per model and window
// (src/graphql/series-batch.ts): the same points as one request each, and a question that
// does not fit the model fails alone, naming its argument.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { seedWideModel } from '../helpers/wide-model.js';

let s: TestServer;
// half past the hour: the seeded hours end in now's hour
const NOW = T0 + 3 * 86_400_000 + 1_800_000;
const from = new Date(NOW - 2 * 86_400_000).toISOString();
const to = new Date(NOW).toISOString();

beforeAll(async () => {
  s = await startTestServer({ now: NOW });
  await seedWideModel(s, 'wide', NOW, 3, 2, 3);
});
afterAll(async () => s?.stop(true));

const ASKS = [
  'metric: PSI, feature: "f01"',
  'metric: JS_DISTANCE, feature: "f02"',
  'metric: MISSING_RATE, feature: "f03"',
  'metric: PSI',
  'metric: PREDICTION_COUNT',
  'metric: MEAN_SCORE',
];

describe('series batched in one request', () => {
  for (const granularity of ['HOUR', 'DAY']) {
    it(`answers as many single requests would (${granularity})`, async () => {
      const field = (a: string, i: number, w = `from: "${from}", to: "${to}"`) => `s${i}: series(${a}, ${w}, granularity: ${granularity}) { start value sampleSize }`;
      // a second window in the same request is a batch of its own
      const other = `from: "${from}", to: "${new Date(NOW - 86_400_000).toISOString()}"`;
      const together = await s.gql(`{ model(name: "wide") { ${ASKS.map((a, i) => field(a, i)).join(' ')} ${field(ASKS[0]!, 99, other)} } }`);
      expect(together.errors).toBeUndefined();
      for (const [i, a] of ASKS.entries()) {
        const alone = await s.gql(`{ model(name: "wide") { ${field(a, i)} } }`);
        expect(together.data.model[`s${i}`]).toEqual(alone.data.model[`s${i}`]);
      }
      const alone = await s.gql(`{ model(name: "wide") { ${field(ASKS[0]!, 99, other)} } }`);
      expect(together.data.model.s99).toEqual(alone.data.model.s99);
      expect(together.data.model.s0.filter((p: { value: number | null }) => p.value !== null).length).toBe(granularity === 'HOUR' ? 48 : 3);
    });
  }

  it('a question that does not fit fails on its own field, its argument named', async () => {
    const r = await s.gql(`{ model(name: "wide") { a: series(metric: PSI, feature: "f01", from: "${from}", to: "${to}", granularity: HOUR) { value } b: series(metric: PSI, feature: "nope", from: "${from}", to: "${to}", granularity: HOUR) { value } } }`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/feature/);
    expect(r.errors![0].path).toEqual(['model', 'b']);
  });
});
