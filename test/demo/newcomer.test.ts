// A newcomer's first five minutes: `glassbox demo` on an empty database, then the server
// on it, then the questions the README tour asks — answered over GraphQL.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import type { DemoOutcome } from '../../src/demo/run.js';
import { exampleQueries } from '../../src/demo/next-steps.js';
import { silentLogger } from '../../src/log.js';
import { fixedClock } from '../../src/clock.js';
import { createModel, findModel } from '../../src/services/models.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connectTestStore, createTestDatabase, type TestDatabase } from '../helpers/test-store.js';
import { scopeOf, sectionOf, valueOf } from '../report/report-html.js';

// a present that is not on a six-hour tick, so the last partial step is exercised too
const NOW = Date.parse('2024-05-20T10:37:00Z');
/** One demo run: some 20 s alone, on PostgreSQL and a loaded machine up to several times that. */
const DEMO_TIMEOUT_MS = 180_000;

async function demo(dbPath: string, reset: boolean): Promise<{ outcome: DemoOutcome; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const outcome = await runDemo({ dbPath, reset, out, now: NOW, url: 'http://127.0.0.1:4000', progress: false, log: silentLogger() });
  return { outcome, text };
}

interface AlertRow {
  status: string;
  severity: string;
  message: string;
  openedAt: string;
  resolvedAt: string | null;
  model: { name: string };
}

/** The built package where it is at least as new as src/main.ts (CI builds it in npm ci), else the sources. */
function glassboxCommand(): string[] {
  const built = 'dist/main.js';
  const fresh = existsSync(built) && statSync(built).mtimeMs >= statSync('src/main.ts').mtimeMs;
  return fresh ? [built] : ['--import', 'tsx', 'src/main.ts'];
}

const ALERTS = '{ alerts { status severity message openedAt resolvedAt model { name } } }';

describe('glassbox demo, as a newcomer meets it', () => {
  let dir: string;
  let database: TestDatabase;
  let dbPath: string;
  let first: { outcome: DemoOutcome; text: string };
  let server: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'glassbox-demo-'));
    database = await createTestDatabase(dir);
    dbPath = database.db;
    first = await demo(dbPath, false);
    server = await startTestServer({ dir, database, now: NOW });
  }, DEMO_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates both models, each with its baseline and its monitors', async () => {
    expect(first.outcome.status).toBe('created');
    const r = await server.gql('{ models { name task baseline { rowCount } monitors { name } } }');
    expect(r.errors).toBeUndefined();
    const byName = Object.fromEntries(r.data.models.map((m: any) => [m.name, m]));
    expect(byName['credit-risk']).toMatchObject({ task: 'BINARY_CLASSIFICATION', baseline: { rowCount: 3000 } });
    expect(byName['delivery-eta']).toMatchObject({ task: 'REGRESSION', baseline: { rowCount: 3000 } });
    expect(byName['credit-risk'].monitors).toHaveLength(6);
    expect(byName['delivery-eta'].monitors).toHaveLength(2);
  });

  it('leaves credit-risk in trouble right now and delivery-eta healthy', async () => {
    const r = await server.gql('{ models { name health { status summary openAlerts { severity } } } }');
    expect(r.errors).toBeUndefined();
    const health = Object.fromEntries(r.data.models.map((m: any) => [m.name, m.health]));
    expect(['WARNING', 'CRITICAL']).toContain(health['credit-risk'].status);
    expect(health['credit-risk'].openAlerts.length).toBeGreaterThan(0);
    expect(health['delivery-eta'].status).toBe('HEALTHY');
  });

  it('has open alerts from the drift and resolved ones from the earlier incidents', async () => {
    const r = await server.gql<{ alerts: AlertRow[] }>(ALERTS);
    expect(r.errors).toBeUndefined();
    const open = r.data.alerts.filter((a) => a.status !== 'RESOLVED');
    const resolved = r.data.alerts.filter((a) => a.status === 'RESOLVED');
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((a) => a.model.name === 'credit-risk')).toBe(true);
    expect(resolved.map((a) => a.model.name).sort()).toEqual(expect.arrayContaining(['credit-risk', 'delivery-eta']));
    expect(resolved.every((a) => a.resolvedAt !== null)).toBe(true);
    expect(open.some((a) => a.status === 'ACKNOWLEDGED')).toBe(true);
  });

  it('shows drift of income over the last day, where the monitor points', async () => {
    const to = new Date(Math.floor(NOW / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - 86_400_000);
    const r = await server.gql('query($from: DateTime!, $to: DateTime!) { model(name: "credit-risk") { drift(from: $from, to: $to) { feature psi } } }', {
      from: from.toISOString(),
      to: to.toISOString(),
    });
    expect(r.errors).toBeUndefined();
    const psi = Object.fromEntries(r.data.model.drift.map((d: any) => [d.feature, d.psi]));
    expect(psi.income).toBeGreaterThan(0.25);
    expect(psi.age).toBeLessThan(0.1);
  });

  it("prints a governance report of credit-risk with the API's numbers in each section", async () => {
    const res = await fetch(`${server.url}/v1/models/credit-risk/report`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const [from, to] = [new Date(NOW - 30 * 86_400_000).toISOString(), new Date(NOW).toISOString()];
    const r = await server.gql(
      `query($from: DateTime!, $to: DateTime!) { model(name: "credit-risk") { baseline { rowCount } traffic(from: $from, to: $to) { predictionCount }
        drift(from: $from, to: $to) { feature psi } integrity(from: $from, to: $to) { feature missingRate } performance(from: $from, to: $to) { accuracy auc }
        fairness(attribute: "gender", from: $from, to: $to) { demographicParityDifference } monitors { id warningThreshold } alerts { id status } } }`,
      { from, to },
    );
    expect(r.errors).toBeUndefined();
    const m = r.data.model;
    expect(valueOf(sectionOf(html, 'baseline'), 'rowCount', 'rowCount')).toBe(m.baseline.rowCount);
    expect(valueOf(sectionOf(html, 'traffic'), 'predictionCount', 'predictionCount')).toBe(m.traffic.predictionCount);
    for (const d of m.drift) expect(valueOf(sectionOf(html, 'drift'), d.feature, 'psi')).toBe(d.psi);
    for (const i of m.integrity) expect(valueOf(sectionOf(html, 'integrity'), i.feature, 'missingRate')).toBe(i.missingRate);
    expect(valueOf(sectionOf(html, 'performance'), 'accuracy', 'accuracy')).toBe(m.performance.accuracy);
    expect(valueOf(sectionOf(html, 'performance'), 'auc', 'auc')).toBe(m.performance.auc);
    const gender = scopeOf(sectionOf(html, 'fairness'), 'data-attribute', 'gender');
    expect(valueOf(gender, 'demographicParityDifference', 'demographicParityDifference')).toBe(m.fairness.demographicParityDifference);
    for (const mon of m.monitors) expect(valueOf(sectionOf(html, 'monitors'), mon.id, 'warningThreshold')).toBe(mon.warningThreshold);
    for (const a of m.alerts) expect(sectionOf(html, 'alerts')).toContain(`data-alert="${a.id}"`);
    expect(sectionOf(html, 'audit')).toContain('acknowledgeAlert');
  }, 60_000); // some fifteen reads over a month of the demo's traffic: seconds, more on a loaded machine

  it('prints the GraphQL URL and three example queries that work as printed', async () => {
    expect(first.text).toContain('http://127.0.0.1:4000/graphql');
    expect(first.text.match(/curl -s /g)).toHaveLength(3);
    expect(first.text).toContain('Connect Slack in five minutes');
    for (const q of exampleQueries(NOW)) {
      expect(first.text).toContain(JSON.stringify({ query: q.query }));
      const r = await server.gql(q.query);
      expect(r.errors, q.title).toBeUndefined();
    }
  });

  it('is safe to rerun: without --reset it changes nothing, with --reset it rebuilds the same story', async () => {
    const before = await server.gql<{ alerts: AlertRow[] }>(ALERTS);
    await server.stop();
    const again = await demo(dbPath, false);
    expect(again.outcome.status).toBe('exists');
    expect(again.text).toContain('--reset');

    const reset = await demo(dbPath, true);
    expect(reset.outcome).toEqual(first.outcome);
    server = await startTestServer({ dir, database, now: NOW });
    const after = await server.gql<{ alerts: AlertRow[] }>(ALERTS);
    expect(after.data.alerts).toEqual(before.data.alerts);
  }, 2 * DEMO_TIMEOUT_MS); // two demo runs

  it('is wired as the `glassbox demo` command, which exits 0 when the demo is already there', () => {
    const r = spawnSync(process.execPath, [...glassboxCommand(), 'demo'], {
      env: { ...process.env, GLASSBOX_DB: dbPath, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('already there');
  });
});

describe('glassbox demo next to a model of its own', () => {
  it("never deletes a user's model that happens to share a demo name", async () => {
    const database = await createTestDatabase();
    const dbPath = database.db;
    try {
      const store = await connectTestStore(dbPath);
      const deps = { store, clock: fixedClock(NOW), log: silentLogger() };
      await createModel(deps, { name: 'ops', role: 'EDITOR' }, { name: 'credit-risk', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
      await store.close();
      for (const reset of [false, true]) {
        await expect(demo(dbPath, reset)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not created by glassbox demo') });
      }
      const check = await connectTestStore(dbPath);
      const kept = await findModel({ store: check, clock: fixedClock(NOW), log: silentLogger() }, 'credit-risk');
      await check.close();
      expect(kept?.task).toBe('REGRESSION');
    } finally {
      await database.drop();
    }
  });
});
