// The metrics part of the GraphQL contract over a real server: series, health, the roles,
// and BAD_USER_INPUT naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loadFixtureThroughApi } from '../helpers/metric-fixtures.js';

describe.each([
  ['on read workers', '2'],
  ['in process', '0'],
])('metrics over GraphQL, %s', (_, workers) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ now: Date.parse('2024-05-11T12:00:00Z'), env: { GLASSBOX_READ_WORKERS: workers } });
    await loadFixtureThroughApi(server, 'penguins');
  });
  afterAll(async () => {
    await server?.stop(true);
  });

  it('series: one point per UTC day, null where no event', async () => {
    const r = await server.gql(
      `{ model(name: "penguins") { series(metric: PREDICTION_COUNT, from: "2024-05-05T00:00:00Z", to: "2024-05-08T00:00:00Z", granularity: DAY) { start value sampleSize } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.model.series).toEqual([
      { start: '2024-05-05T00:00:00.000Z', value: null, sampleSize: 0 },
      { start: '2024-05-06T00:00:00.000Z', value: 35, sampleSize: 35 },
      { start: '2024-05-07T00:00:00.000Z', value: 35, sampleSize: 35 },
    ]);
  });

  it('health: status and one sentence', async () => {
    const r = await server.gql(`{ model(name: "penguins") { health { status summary openAlerts { id } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.model.health.status).toBe('HEALTHY');
    expect(r.data.model.health.openAlerts).toEqual([]);
    expect(r.data.model.health.summary).toMatch(/^penguins is HEALTHY: 34 predictions in the last 24h; worst drift: .+; no open alerts\.$/);
  });

  it.each([
    ['drift(from: "2024-05-07T00:00:00Z", to: "2024-05-06T00:00:00Z") { psi }', 'to'],
    ['fairness(attribute: "island", from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z") { attribute }', 'attribute'],
    ['series(metric: KS_STATISTIC, feature: "island", from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z", granularity: DAY) { value }', 'metric'],
    ['series(metric: RMSE, from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z", granularity: DAY) { value }', 'metric'],
    ['series(metric: PSI, feature: "wingspan", from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z", granularity: HOUR) { value }', 'feature'],
  ])('%s -> BAD_USER_INPUT on %s', async (field, name) => {
    const r = await server.gql(`{ model(name: "penguins") { ${field} } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions?.field).toBe(name);
    expect(r.errors?.[0]?.message).toContain(name);
  });
});
