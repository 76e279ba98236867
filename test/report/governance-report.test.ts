// GET /v1/models/{name}/report against the real server: every section present, its numbers
// equal to what GraphQL answers for the same window, user text escaped, one self-contained
// document, bad windows refused naming the parameter, and the VIEWER role required. The
// model has two versions (one with its own baseline) and a segment, and a labelled
// baseline, so the report lists versions, segments and estimated performance too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/report/html.js';
import { startTestServer, T0, type TestServer } from '../helpers/server.js';
import { cell, scopeOf, sectionOf, valueOf } from './report-html.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (t: number) => new Date(t).toISOString();
const HOSTILE_FEATURE = '<img src=x onerror=alert(1)>';
const HOSTILE_GROUP = '"><script>alert("group")</script>';
const HOSTILE_TEXT = `</title><script>alert('description')</script> & "quotes"`;
const FROM = T0 - 3 * DAY;

let s: TestServer;

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await s.gql(query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

async function report(query = `from=${iso(FROM)}&to=${iso(T0)}`, headers: Record<string, string> = {}): Promise<{ status: number; type: string; csp: string; text: string }> {
  const res = await fetch(`${s.url}/v1/models/credit-risk/report?${query}`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', csp: res.headers.get('content-security-policy') ?? '', text: await res.text() };
}

beforeAll(async () => {
  // the model is registered as the window opens and changed during it, so its audit entries fall inside
  s = await startTestServer({ now: FROM + HOUR });
  await ok(`mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, {
    input: {
      name: 'credit-risk',
      task: 'BINARY_CLASSIFICATION',
      positiveClass: 'default',
      description: HOSTILE_TEXT,
      features: [
        { name: 'income', type: 'NUMERIC' },
        { name: 'region', type: 'CATEGORICAL' },
        { name: HOSTILE_FEATURE, type: 'CATEGORICAL', protected: true },
      ],
    },
  });
  const groups = ['a', HOSTILE_GROUP];
  const regions = ['north', 'south', 'east'];
  // labelled, so that CBPE can estimate performance from scores alone
  const rows = Array.from({ length: 150 }, (_, i) => ({
    features: { income: i % 50, region: regions[i % 3], [HOSTILE_FEATURE]: groups[i % 2] },
    score: (i % 10) / 10,
    actualLabel: (i * 7) % 10 < (i % 10) ? 'default' : 'ok',
  }));
  await ok(`mutation($rows: [BaselineRowInput!]!) { setBaseline(model: "credit-risk", rows: $rows) { rowCount } }`, { rows });
  // v1 is current (events without modelVersion are its); v2 a canary with its own, smaller baseline
  await ok(`mutation($d: String) { createModelVersion(input: { model: "credit-risk", name: "v1", description: $d }) { name } }`, { d: HOSTILE_TEXT });
  s.clock.set(FROM + 2 * HOUR);
  await ok(`mutation { createModelVersion(input: { model: "credit-risk", name: "v2", makeCurrent: false }) { name } }`);
  await ok(`mutation($rows: [BaselineRowInput!]!) { setVersionBaseline(model: "credit-risk", version: "v2", rows: $rows) { rowCount } }`, { rows: rows.slice(0, 60) });
  await ok(`mutation { createSegment(input: { model: "credit-risk", name: "north", conditions: [{ feature: "region", in: ["north"] }, { feature: "income", gte: 10 }] }) { name } }`);
  // three days, six events an hour, income sliding upwards (drift that grows), labels for most
  const predictions = [];
  for (let h = 0; h < 72; h++) {
    for (let k = 0; k < 6; k++) {
      const i = h * 6 + k;
      predictions.push({
        eventId: `e${i}`,
        timestamp: iso(FROM + h * HOUR + k * 60_000),
        features: { income: (i % 50) + h, region: regions[i % 3], [HOSTILE_FEATURE]: groups[(i + h) % 2] },
        score: ((i * 7) % 10) / 10,
        ...(i % 5 === 0 ? {} : { actualLabel: i % 3 === 0 ? 'default' : 'ok' }),
        ...(i % 4 === 0 ? { modelVersion: 'v2' } : {}),
      });
    }
  }
  s.clock.set(T0 - 10 * 60_000);
  await ok(`mutation($p: [PredictionInput!]!) { logPredictions(model: "credit-risk", predictions: $p) { accepted } }`, { p: predictions });
  const m = await ok(`mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, {
    input: { model: 'credit-risk', name: `drift <b>${HOSTILE_FEATURE}</b>`, metric: 'PSI', feature: 'income', window: '24h', schedule: '0 * * * *', comparator: 'GT', warningThreshold: 0.1, criticalThreshold: 0.2 },
  });
  for (const at of [T0 - 2 * DAY, T0 - DAY, T0 - HOUR]) await ok(`mutation($id: ID!, $at: DateTime!) { evaluateMonitor(id: $id, at: $at) { severity } }`, { id: m.createMonitor.id, at: iso(at) });
  const alerts = await ok(`{ alerts(model: "credit-risk") { id } }`);
  await ok(`mutation($id: ID!, $note: String) { acknowledgeAlert(id: $id, note: $note) { status } }`, { id: alerts.alerts[0].id, note: `on it <script>x</script>` });
  s.clock.set(T0);
});

afterAll(async () => {
  await s?.stop(true);
});

describe('the report', () => {
  it('is one HTML document with every section, and nothing fetched from outside', async () => {
    const r = await report();
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/html');
    expect(r.csp).toContain("default-src 'none'");
    for (const id of ['identity', 'versions', 'segments', 'baseline', 'features', 'traffic', 'drift', 'integrity', 'performance', 'fairness', 'monitors', 'alerts', 'audit']) sectionOf(r.text, id);
    expect(r.text).not.toMatch(/<script|<link|<img|<iframe|<object|url\(|@import/i);
    // no tag loads or runs anything (attribute values, where escaped names live, set aside)
    const attributes = (r.text.match(/<[a-z][^>]*>/gi) ?? []).map((tag) => tag.replace(/"[^"]*"/g, '""'));
    expect(attributes.filter((a) => /\s(src|href|on\w+)=/i.test(a))).toEqual([]);
    // charts are inline SVG
    expect((r.text.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(6);
  });

  it('escapes every user-provided text', async () => {
    const r = await report();
    expect(r.text).not.toContain(HOSTILE_FEATURE);
    expect(r.text).not.toContain(HOSTILE_GROUP);
    expect(r.text).not.toContain(HOSTILE_TEXT);
    expect(r.text).not.toContain('<b>');
    expect(r.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(cell(sectionOf(r.text, 'identity'), 'description', 'description').text).toBe(HOSTILE_TEXT);
    expect(r.text).toContain('on it &lt;script&gt;x&lt;/script&gt;');
  });

  it('has the numbers GraphQL answers for the same window', async () => {
    const r = await report();
    const g = (
      await ok(
        `query($from: DateTime!, $to: DateTime!, $a: String!) { model(name: "credit-risk") {
          baseline { rowCount }
          traffic(from: $from, to: $to) { predictionCount meanScore labelCoverage }
          drift(from: $from, to: $to) { feature sampleSize baselineSize psi jsDistance ksStatistic ksPValue wasserstein chi2Statistic chi2PValue }
          outputDrift(from: $from, to: $to) { psi }
          integrity(from: $from, to: $to) { feature count missingRate newCategoryRate }
          performance(from: $from, to: $to) { count labeledCount labelCoverage accuracy auc precision recall f1 logLoss }
          fairness(attribute: $a, from: $from, to: $to) { demographicParityDifference disparateImpactRatio equalizedOddsDifference groups { group count selectionRate truePositiveRate } }
          monitors { id warningThreshold evaluations { at value } }
        } }`,
        { from: iso(FROM), to: iso(T0), a: HOSTILE_FEATURE },
      )
    ).model;
    expect(valueOf(sectionOf(r.text, 'baseline'), 'rowCount', 'rowCount')).toBe(g.baseline.rowCount);
    const traffic = sectionOf(r.text, 'traffic');
    for (const f of ['predictionCount', 'meanScore', 'labelCoverage']) expect(valueOf(traffic, f, f)).toBe(g.traffic[f]);
    expect(g.traffic.predictionCount).toBe(432);

    const drift = sectionOf(r.text, 'drift');
    for (const d of g.drift) {
      for (const f of ['sampleSize', 'baselineSize', 'psi', 'jsDistance', 'ksStatistic', 'ksPValue', 'wasserstein', 'chi2Statistic', 'chi2PValue']) {
        const c = cell(drift, d.feature, f);
        expect(c.value, `${d.feature} ${f}`).toBe(d[f]);
        expect(c.text).toBe(formatNumber(d[f]));
      }
    }
    expect(g.drift[0].psi).toBeGreaterThan(0.1);
    expect(valueOf(drift, '(output)', 'psi')).toBe(g.outputDrift.psi);

    const integrity = sectionOf(r.text, 'integrity');
    for (const i of g.integrity) for (const f of ['count', 'missingRate', 'newCategoryRate']) expect(valueOf(integrity, i.feature, f)).toBe(i[f]);

    const perf = sectionOf(r.text, 'performance');
    for (const f of ['count', 'labeledCount', 'labelCoverage', 'accuracy', 'auc', 'precision', 'recall', 'f1', 'logLoss']) expect(valueOf(perf, f, f), f).toBe(g.performance[f]);
    expect(g.performance.labeledCount).toBeGreaterThan(0);

    const fair = scopeOf(sectionOf(r.text, 'fairness'), 'data-attribute', HOSTILE_FEATURE);
    for (const f of ['demographicParityDifference', 'disparateImpactRatio', 'equalizedOddsDifference']) expect(valueOf(fair, f, f), f).toBe(g.fairness[f]);
    for (const grp of g.fairness.groups) for (const f of ['count', 'selectionRate', 'truePositiveRate']) expect(valueOf(fair, grp.group, f)).toBe(grp[f]);
    expect(g.fairness.groups.map((x: { group: string }) => x.group)).toContain(HOSTILE_GROUP);

    const mon = sectionOf(r.text, 'monitors');
    const [m] = g.monitors;
    expect(valueOf(mon, m.id, 'warningThreshold')).toBe(m.warningThreshold);
    expect(valueOf(mon, m.id, 'evaluations')).toBe(m.evaluations.length);
  });

  it('lists each version and segment with the numbers GraphQL answers for them', async () => {
    const r = await report();
    const w = `from: "${iso(FROM)}", to: "${iso(T0)}"`;
    // each slice's figures under its own aliases: v1_traffic, v1_performance...
    const figures = (key: string, slice: string) =>
      `${key}_traffic: traffic(${w}, ${slice}) { predictionCount labelCoverage } ${key}_performance: performance(${w}, ${slice}) { accuracy estimated { accuracy } }`;
    const g = (
      await ok(`{ model(name: "credit-risk") {
        currentVersion versions { name description createdAt baseline { rowCount updatedAt } }
        traffic(${w}) { predictionCount }
        ${figures('v1', 'version: "v1"')} ${figures('v2', 'version: "v2"')} ${figures('north', 'segment: "north"')}
      } }`)
    ).model;
    expect(g.currentVersion).toBe('v1');
    const versions = sectionOf(r.text, 'versions');
    expect(versions).toContain('Current version: v1');
    for (const v of g.versions) {
      expect(cell(versions, v.name, 'current').text).toBe(v.name === g.currentVersion ? 'yes' : 'no');
      expect(cell(versions, v.name, 'createdAt').text).toBe(v.createdAt.replace('.000Z', 'Z'));
      expect(cell(versions, v.name, 'description').text).toBe(v.description ?? '—');
      const t = g[`${v.name}_traffic`];
      const p = g[`${v.name}_performance`];
      expect(valueOf(versions, v.name, 'predictionCount')).toBe(t.predictionCount);
      expect(valueOf(versions, v.name, 'labelCoverage')).toBe(t.labelCoverage);
      expect(valueOf(versions, v.name, 'accuracy')).toBe(p.accuracy);
      expect(valueOf(versions, v.name, 'estimated.accuracy')).toBe(p.estimated.accuracy);
    }
    // v1 uses the model's baseline, v2 its own
    expect(cell(versions, 'v1', 'baselineRowCount').text).toBe('the model’s');
    expect(valueOf(versions, 'v2', 'baselineRowCount')).toBe(g.versions[1].baseline.rowCount);
    expect(g.versions[1].baseline.rowCount).toBe(60);
    expect(cell(versions, 'v2', 'baselineUpdatedAt').text).toBe(g.versions[1].baseline.updatedAt.replace('.000Z', 'Z'));
    // every event is v1's or v2's, and each version has some
    expect(g.v1_traffic.predictionCount + g.v2_traffic.predictionCount).toBe(g.traffic.predictionCount);
    expect(Math.min(g.v1_traffic.predictionCount, g.v2_traffic.predictionCount)).toBeGreaterThan(0);
    expect(g.v2_performance.estimated.accuracy).not.toBeNull();

    const segments = sectionOf(r.text, 'segments');
    expect(cell(segments, 'north', 'conditions').text).toBe('region in north; income ≥ 10');
    expect(valueOf(segments, 'north', 'predictionCount')).toBe(g.north_traffic.predictionCount);
    expect(g.north_traffic.predictionCount).toBeLessThan(g.traffic.predictionCount);
    expect(valueOf(segments, 'north', 'accuracy')).toBe(g.north_performance.accuracy);
    expect(valueOf(segments, 'north', 'estimated.accuracy')).toBe(g.north_performance.estimated.accuracy);

    // estimated performance beside the measured, named as an estimate
    const all = await ok(`{ model(name: "credit-risk") { performance(${w}) { estimated { sampleSize accuracy precision recall f1 auc } } } }`);
    const perf = sectionOf(r.text, 'performance');
    for (const [f, v] of Object.entries(all.model.performance.estimated)) expect(valueOf(perf, `estimated.${f}`, `estimated.${f}`), f).toBe(v);
    expect(perf).toContain('estimated accuracy (CBPE, without labels)');
  });

  it('lists alerts with their history and the audit entries that changed the model', async () => {
    const r = await report();
    const g = (await ok(`{ alerts(model: "credit-risk") { id status value events { kind actor } } auditLog(limit: 1000) { action target } }`)) as any;
    const alerts = sectionOf(r.text, 'alerts');
    for (const a of g.alerts) {
      const scope = scopeOf(alerts, 'data-alert', a.id);
      expect(cell(scope, a.id, 'status').text).toBe(a.status);
      expect(valueOf(scope, a.id, 'value')).toBe(a.value);
      for (const e of a.events) expect(scope).toContain(` ${e.kind}`);
    }
    expect(alerts).toContain('acknowledged by local');
    const audit = sectionOf(r.text, 'audit');
    const actions = [...audit.matchAll(/data-field="action">([^<]+)</g)].map((x) => x[1]);
    // in the window: the versions and segment, the monitor's creation, its evaluations and the acknowledgement, not ingest batches
    expect(actions).toEqual(expect.arrayContaining(['createModel', 'setBaseline', 'createModelVersion', 'setVersionBaseline', 'createSegment', 'createMonitor', 'evaluateMonitor', 'acknowledgeAlert']));
    expect(actions).not.toContain('logPredictions');
    expect(g.auditLog.some((e: { action: string }) => e.action === 'logPredictions')).toBe(true);
  });

  it('defaults to the last 30 days, drawn daily', async () => {
    const r = await report('');
    expect(r.status).toBe(200);
    expect(r.text).toContain(`Window ${iso(T0 - 30 * DAY).replace('.000Z', 'Z')} to ${iso(T0).replace('.000Z', 'Z')}`);
    expect(r.text).toContain('charts daily');
    const g = await ok(`{ model(name: "credit-risk") { traffic(from: "${iso(T0 - 30 * DAY)}", to: "${iso(T0)}") { predictionCount } } }`);
    expect(valueOf(sectionOf(r.text, 'traffic'), 'predictionCount', 'predictionCount')).toBe(g.model.traffic.predictionCount);
  });
});

describe('refusals', () => {
  it('a bad from or to is a 400 naming the parameter', async () => {
    const bad = async (q: string) => {
      const r = await report(q);
      expect(r.status).toBe(400);
      return JSON.parse(r.text).error;
    };
    expect((await bad('from=yesterday')).field).toBe('from');
    expect((await bad(`from=${iso(FROM)}&to=2024-02-30T00:00:00Z`)).field).toBe('to');
    expect((await bad(`from=${iso(T0)}&to=${iso(FROM)}`)).field).toBe('to');
    expect((await bad(`from=${iso(T0 + DAY)}`)).field).toBe('from');
    expect((await bad(`from=a&from=b`)).field).toBe('from');
  });

  it('an unknown model is a 404 in JSON, its name never echoed as HTML', async () => {
    const res = await fetch(`${s.url}/v1/models/${encodeURIComponent('<script>x</script>')}/report`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('needs a VIEWER key once keys exist', async () => {
    const keys = await ok(`mutation { v: createApiKey(name: "reader", role: VIEWER) { secret } }`);
    expect((await report()).status).toBe(401);
    const wrong = await report(undefined, { authorization: 'Bearer gb_not_a_key' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.code).toBe('UNAUTHENTICATED');
    const r = await report(undefined, { authorization: `Bearer ${keys.v.secret}` });
    expect(r.status).toBe(200);
    expect(r.text).toContain('Governance report: credit-risk');
  });
});
