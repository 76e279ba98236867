// The acceptance check of the metrics: a real server, each fixture of test/fixtures loaded
// through the API and every window compared with expected.json (no mismatch for either).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { FIXTURE_NAMES } from '../helpers/fixture-files.js';
import { checkFixtureWindows, loadFixtureThroughApi } from '../helpers/metric-fixtures.js';

// on the read workers (what a server on a file runs) and on the main thread (`:memory:`)
describe.each([
  ['on two read workers', '2'],
  ['in process', '0'],
])('fixtures through the running server, %s', (_, workers) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { GLASSBOX_READ_WORKERS: workers } });
    expect(server.deps.reads !== undefined).toBe(workers !== '0');
  });
  afterAll(async () => {
    await server?.stop(true);
  });

  it.each(FIXTURE_NAMES)('%s: every window within tolerance', async (fixture) => {
    const name = await loadFixtureThroughApi(server, fixture);
    const { compared, mismatches } = await checkFixtureWindows(server, fixture, name);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(100);
  });

  it('a wrong reference value is caught (the check can fail)', async () => {
    // the same model's windows against a tampered expectation must mismatch
    const { withinTolerance } = await import('../helpers/metric-tolerance.js');
    expect(withinTolerance('psi', 0.1, 0.1 * (1 + 1e-6))).toBe(false);
    expect(withinTolerance('psi', 0.1, 0.1 * (1 + 1e-10))).toBe(true);
    expect(withinTolerance('sampleSize', 10, 11)).toBe(false);
    expect(withinTolerance('auc', 0.8, 0.8009)).toBe(true);
    expect(withinTolerance('ksPValue', 0.001, 0.06)).toBe(false);
    expect(withinTolerance('accuracy', null, 0)).toBe(false);
  });
});
