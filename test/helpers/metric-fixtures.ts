// Loads a metric fixture (test/fixtures/) into a running server through the public API, and
// compares every window the server computes with expected.json under docs/metrics.md's
// tolerances. The queries ask for exactly the fields expected.json holds, so a renamed or
// missing field fails as a GraphQL error rather than being skipped.
import { gqlOk as gqlData, type TestServer } from './server.js';
import { fixtureJson, fixtureLines } from './fixture-files.js';
import { compareObject } from './metric-tolerance.js';

const BATCH = 1000;

const gqlOk = (s: TestServer, what: string, query: string, variables: Record<string, unknown>, key?: string) => gqlData(s, query, variables, what, key);

/** Creates the fixture's model (as `modelName`), sets its baseline, logs its events and actuals. */
export async function loadFixtureThroughApi(s: TestServer, fixture: string, opts: { modelName?: string; key?: string } = {}): Promise<string> {
  const model = fixtureJson(fixture, 'model.json');
  const name = opts.modelName ?? model.name;
  const baseline = fixtureLines(fixture, 'baseline.ndjson');
  await gqlOk(s, 'createModel', `mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, { input: { ...model, name } }, opts.key);
  const b = await gqlOk(s, 'setBaseline', `mutation($m: String!, $rows: [BaselineRowInput!]!) { setBaseline(model: $m, rows: $rows) { rowCount } }`, { m: name, rows: baseline }, opts.key);
  if (b.setBaseline.rowCount !== baseline.length) throw new Error(`setBaseline: ${b.setBaseline.rowCount} rows stored of ${baseline.length}`);
  for (const [file, field, arg, type] of [
    ['events.ndjson', 'logPredictions', 'predictions', 'PredictionInput'],
    ['actuals.ndjson', 'logActuals', 'actuals', 'ActualInput'],
  ] as const) {
    const lines = fixtureLines(fixture, file);
    for (let i = 0; i < lines.length; i += BATCH) {
      const q = `mutation($m: String!, $x: [${type}!]!) { ${field}(model: $m, ${arg}: $x) { accepted rejected errors { index message } } }`;
      const d = await gqlOk(s, field, q, { m: name, x: lines.slice(i, i + BATCH) }, opts.key);
      const r = d[field];
      const want = Math.min(BATCH, lines.length - i);
      if (r.accepted !== want || r.rejected !== 0) throw new Error(`${field} ${fixture}/${file} from line ${i + 1}: ${JSON.stringify(r)}`);
    }
  }
  return name;
}

/** A selection set of the scalar keys of an expected object (and its groups'). */
function fields(exp: Record<string, unknown>): string {
  const own = Object.keys(exp).filter((k) => k !== 'groups');
  const groups = exp.groups as Record<string, Record<string, unknown>> | undefined;
  const first = groups && Object.values(groups)[0];
  return [...own, ...(first ? [`groups { group ${Object.keys(first).join(' ')} }`] : [])].join(' ');
}

/** Every mismatch between the server's metrics of `modelName` and the fixture's expected.json. */
export async function checkFixtureWindows(s: TestServer, fixture: string, modelName: string, key?: string): Promise<{ compared: number; mismatches: string[] }> {
  const expected = fixtureJson(fixture, 'expected.json');
  const out: string[] = [];
  let compared = 0;
  for (const w of expected.windows as Array<Record<string, any>>) {
    // numeric and categorical features hold different keys: ask for all of them
    const union = (o: Record<string, Record<string, unknown>>) => Object.assign({}, ...Object.values(o)) as Record<string, unknown>;
    const attrs = Object.keys(w.fairness ?? {});
    const parts = [
      `drift(from: $from, to: $to) { feature ${fields(union(w.drift))} }`,
      `outputDrift(from: $from, to: $to) { ${fields(w.outputDrift)} }`,
      `integrity(from: $from, to: $to) { feature ${fields(union(w.integrity))} }`,
      `performance(from: $from, to: $to) { ${fields(w.performance)} }`,
      `traffic(from: $from, to: $to) { ${fields(w.traffic)} }`,
      ...attrs.map((a, i) => `f${i}: fairness(attribute: ${JSON.stringify(a)}, from: $from, to: $to) { ${fields(w.fairness[a])} }`),
    ];
    const q = `query($m: String!, $from: DateTime!, $to: DateTime!) { model(name: $m) { ${parts.join(' ')} } }`;
    const where = `${fixture} [${w.from}..${w.to})`;
    const m = (await gqlOk(s, where, q, { m: modelName, from: w.from, to: w.to }, key)).model;
    if (!m) throw new Error(`${where}: model ${modelName} not found`);
    const list = (kind: 'drift' | 'integrity') => {
      for (const [f, exp] of Object.entries<any>(w[kind])) {
        out.push(...compareObject(`${where} ${kind}.${f}`, exp, m[kind].find((d: any) => d.feature === f)));
        compared += Object.keys(exp).length;
      }
    };
    list('drift');
    list('integrity');
    for (const kind of ['outputDrift', 'performance', 'traffic'] as const) {
      out.push(...compareObject(`${where} ${kind}`, w[kind], m[kind]));
      compared += Object.keys(w[kind]).length;
    }
    attrs.forEach((a, i) => {
      const exp = w.fairness[a];
      const got = m[`f${i}`];
      out.push(...compareObject(`${where} fairness.${a}`, exp, got));
      const names = got.groups.map((g: any) => g.group).sort();
      if (JSON.stringify(names) !== JSON.stringify(Object.keys(exp.groups).sort())) out.push(`${where} fairness.${a}.groups: expected ${Object.keys(exp.groups)}, got ${names}`);
      for (const [g, ge] of Object.entries<any>(exp.groups)) {
        out.push(...compareObject(`${where} fairness.${a}.${g}`, ge, got.groups.find((x: any) => x.group === g)));
        compared += Object.keys(ge).length;
      }
      compared += Object.keys(exp).length - 1;
    });
  }
  return { compared, mismatches: out };
}
