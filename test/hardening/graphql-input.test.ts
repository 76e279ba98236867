// Issue 17, items 5-7: the GraphQL door under hostile input. Client errors are 400s or
// BAD_USER_INPUT naming the field, nothing internal reaches the client, every argument is
// bounded, and bad input is quoted by a short prefix at most.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, formatError } from '../../src/graphql/server.js';
import { GraphQLError, isInputObjectType, isObjectType, getNamedType, isListType, getNullableType } from 'graphql';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_KEY, createModel } from '../ingest/support.js';
import * as L from '../../src/domain/input/limits.js';

const NUL = 'contains a NUL character (U+0000), which cannot be stored';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { GLASSBOX_ADMIN_KEY: ADMIN_KEY } });
  await createModel(s, 'm');
});
afterAll(async () => {
  await s.stop(true);
});

const raw = (query: string) =>
  s.post('/graphql', JSON.stringify({ query }), { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` });

/** Nothing of the server's insides in a body: no stack, no JS error names, no file paths. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/RangeError|TypeError|ReferenceError|call stack|\bat \S+ \(|\/src\/|node_modules|SQLITE/);
}

describe('documents the parser refuses are HTTP 400, with no internal text', () => {
  it.each([
    ['a syntax error', 'query { models { name '],
    ['the token limit', `query { ${Array(5000).fill('version').join(' ')} }`],
    ['a NUL in the query', 'query { version }\u0000'],
    ['a 3,000-deep selection', `query ${'{ version '.repeat(3000)}${'}'.repeat(3000)}`],
    ['a 100,000-deep list literal', `query { alerts(status: ${'['.repeat(100_000)}FIRING${']'.repeat(100_000)}) { id } }`],
  ])('%s', async (_what, query) => {
    const r = await raw(query);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.json.errors[0].message).toMatch(/^Syntax Error: /);
    expectNoInternals(r.text);
  });

  it('a selection deeper than 12 fields is refused by validation, also a 400', async () => {
    const r = await raw(`query { ${'models { monitors { model { '.repeat(5)}name${' } } }'.repeat(5)} }`);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNoInternals(r.text);
  });

  it('any nesting depth of selections, lists or objects: a 400 or an answer, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('{ version ', '[', '{a:'), async (depth, open) => {
        const close = open === '[' ? ']' : '}';
        const query =
          open === '{ version '
            ? `query ${open.repeat(depth)}${close.repeat(depth)}`
            : `query { alerts(model: "m", status: ${open.repeat(depth)}FIRING${close.repeat(depth)}) { id } }`;
        const r = await raw(query);
        expect(r.status).toBeLessThan(500);
        expectNoInternals(r.text);
        if (depth > 64) expect(r.status).toBe(400);
      }),
      { numRuns: 30 },
    );
  });
});

describe('formatError', () => {
  it('shows nothing of an internal cause, however it is wrapped', () => {
    const overflow = new RangeError('Maximum call stack size exceeded');
    for (const e of [overflow, new GraphQLError(overflow.message, { originalError: overflow }), new GraphQLError('x', { originalError: new GraphQLError(overflow.message, { originalError: overflow }) })]) {
      expect(formatError({ message: overflow.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, e)).toEqual({
        message: 'internal error (see the server log)',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
    const quoted = formatError({ message: `Int cannot represent non-integer value: "${'y'.repeat(1e6)}"`, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError('x'));
    expect(quoted.message).toBe(`Int cannot represent non-integer value: "${'y'.repeat(60)}..."`);
    const unclosed = formatError({ message: `a "${'z'.repeat(5000)}`, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError('x'));
    expect(unclosed.message).toBe(`a "${'z'.repeat(60)}..."`);
    const plain = formatError({ message: `Cannot query field "modelz" on type "Query". Did you mean "model"?`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError('x'));
    expect(plain.message).toBe('Cannot query field "modelz" on type "Query". Did you mean "model"?');
  });
});

describe('every list and string argument is bounded, the field named', () => {
  it('alerts(status:) with 40,000 items is BAD_USER_INPUT on status', async () => {
    const r = await s.gql('query($s: [AlertStatus!]) { alerts(status: $s) { id } }', { s: Array(40_000).fill('FIRING') }, ADMIN_KEY);
    expect(r.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'status' });
    expect(r.errors![0].message).toBe(`status: at most ${L.MAX_LIST} items, got 40000`);
    const nested = await s.gql('{ models { alerts(status: [FIRING, RESOLVED]) { id } } }', undefined, ADMIN_KEY);
    expect(nested.errors).toBeUndefined();
    // arguments of fields below the root are bounded alike
    const below = await s.gql('query($s: [AlertStatus!]) { models { alerts(status: $s) { id } } }', { s: Array(40_000).fill('FIRING') }, ADMIN_KEY);
    expect(below.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'status' });
    const series = await s.gql('query($f: String) { model(name: "m") { series(metric: PSI, from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z", granularity: HOUR, feature: $f) { value } } }', { f: 'f'.repeat(1000) }, ADMIN_KEY);
    expect(series.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'feature' });
  });

  it('each list and string argument of the schema, over its bound, is refused naming it', async () => {
    // walk the schema: every root field's list/string argument and input member, sent one item or character too many
    const schema = buildSchema();
    const cases: Array<{ field: string; arg: string; path: string; list: boolean }> = [];
    for (const root of ['Query', 'Mutation'] as const) {
      const type = schema.getType(root);
      if (!isObjectType(type)) continue;
      for (const f of Object.values(type.getFields())) {
        for (const a of f.args) {
          const t = getNullableType(a.type);
          if (isListType(t) || ['String', 'ID'].includes(getNamedType(t).name)) cases.push({ field: f.name, arg: a.name, path: a.name, list: isListType(t) });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(20);
    const huge = 'x'.repeat(100_000);
    for (const c of cases) {
      const f = (schema.getType(schema.getMutationType()!.getFields()[c.field] ? 'Mutation' : 'Query') as never as { getFields(): Record<string, any> }).getFields()[c.field]!;
      const vars: string[] = [];
      const args: string[] = [];
      const values: Record<string, unknown> = {};
      for (const a of f.args) {
        vars.push(`$${a.name}: ${String(a.type)}`);
        args.push(`${a.name}: $${a.name}`);
        values[a.name] = sample(schema, a.type);
      }
      values[c.arg] = c.list ? Array(100_001).fill(sample(schema, getNamedType(f.args.find((a: any) => a.name === c.arg).type))) : huge;
      const op = c.field in schema.getMutationType()!.getFields() ? 'mutation' : 'query';
      const sel = selectionFor(getNamedType(f.type));
      const r = await s.gql(`${op}(${vars.join(', ')}) { ${c.field}(${args.join(', ')})${sel} }`, values, ADMIN_KEY);
      expect(r.errors?.[0]?.extensions, `${c.field}(${c.arg})`).toEqual({ code: 'BAD_USER_INPUT', field: c.path });
      expect(r.body && JSON.stringify(r.body).length, `${c.field}(${c.arg}) answer size`).toBeLessThan(600);
    }
  });

  it('input members over their bounds: names 64, descriptions, features, webhook fields', async () => {
    const create = (input: Record<string, unknown>) =>
      s.gql('mutation($i: CreateModelInput!) { createModel(input: $i) { name } }', { i: { name: 'ok', task: 'BINARY_CLASSIFICATION', positiveClass: 'yes', features: [{ name: 'x', type: 'NUMERIC' }], ...input } }, ADMIN_KEY);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: 'n'.repeat(65) }, 'input.name', `must be at most ${L.MAX_NAME} characters, got 65`],
      [{ description: 'd'.repeat(10_000_000) }, 'input.description', `must be at most ${L.MAX_DESCRIPTION} characters, got 10000000`],
      [{ positiveClass: 'p'.repeat(5_000_000) }, 'input.positiveClass', `must be at most ${L.MAX_STRING} characters, got 5000000`],
      [{ features: Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}`, type: 'NUMERIC' })) }, 'input.features', `at most ${L.MAX_FEATURES} items, got 100000`],
      [{ features: [{ name: 'f'.repeat(129), type: 'NUMERIC' }] }, 'input.features[0].name', `must be at most ${L.MAX_FEATURE_NAME} characters, got 129`],
      [{ positiveClass: 'a\ud800' }, 'input.positiveClass', 'is not valid Unicode: an unpaired surrogate (U+D800) at position 1'],
      [{ name: 'a\u0000' }, 'input.name', NUL],
      [{ description: 'd\u0000d' }, 'input.description', NUL],
      [{ features: [{ name: 'x', type: 'NUMERIC' }, { name: '\u0000', type: 'CATEGORICAL' }] }, 'input.features[1].name', NUL],
    ];
    for (const [input, field, reason] of cases) {
      const r = await create(input);
      expect(r.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(r.errors![0].message).toBe(`${field}: ${reason}`);
    }
    const ch = (input: Record<string, unknown>) =>
      s.gql('mutation($i: CreateChannelInput!) { createChannel(input: $i) { name } }', { i: { name: 'hook', kind: 'WEBHOOK', webhookUrl: 'https://example.com/h', ...input } }, ADMIN_KEY);
    expect((await ch({ webhookSecret: 's'.repeat(5_000_000) })).errors![0].extensions.field).toBe('input.webhookSecret');
    expect((await ch({ webhookUrl: `https://example.com/${'u'.repeat(L.MAX_URL)}` })).errors![0].extensions.field).toBe('input.webhookUrl');
    expect((await ch({ name: 'h\u0000' })).errors![0]).toMatchObject({ message: `input.name: ${NUL}`, extensions: { code: 'BAD_USER_INPUT', field: 'input.name' } });
    const yaml = await s.gql('mutation($y: String!) { applyConfig(yaml: $y) { summary } }', { y: 'models:\n  - name: "m\\0"\n' }, ADMIN_KEY);
    expect(JSON.stringify(yaml.errors ?? yaml.data)).toContain(NUL);
    expect(yaml.errors?.[0]?.extensions?.code ?? 'none').not.toBe('INTERNAL_SERVER_ERROR');
    // the items of an ingest call are checked one by one: a 5 MB label rejects that item only
    const log = await s.gql(
      'mutation($p: [PredictionInput!]!) { logPredictions(model: "m", predictions: $p) { accepted rejected errors { index message } } }',
      { p: [0, 1].map((i) => ({ eventId: `e${i}`, timestamp: '2024-05-06T00:00:00Z', features: { x: 1 }, score: 0.5, predictedLabel: i ? 'l'.repeat(5_000_000) : 'yes' })) },
      ADMIN_KEY,
    );
    expect(log.data.logPredictions).toEqual({ accepted: 1, rejected: 1, errors: [{ index: 1, message: 'predictedLabel: must be at most 256 characters, got 5000000' }] });
  });

  it('never echoes more than a short prefix of bad input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 65, maxLength: 3000 }), async (bad) => {
        const big = bad.repeat(Math.ceil(200_000 / bad.length));
        for (const [q, v] of [
          ['query($n: Int) { auditLog(limit: $n) { at } }', { n: big }],
          ['query($t: DateTime!) { model(name: "m") { traffic(from: $t, to: $t) { predictionCount } } }', { t: big }],
          ['mutation { deleteModel(name: "' + big.slice(0, 50).replace(/["\\\n\r\u0000-\u001f]/g, '') + '") }', undefined],
        ] as const) {
          const r = await s.gql(q, v as never, ADMIN_KEY);
          expect(JSON.stringify(r.body).length).toBeLessThan(1500);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('the audit log stays small whatever the mutations were sent', async () => {
    const features = Array.from({ length: L.MAX_FEATURES }, (_, i) => ({ name: `feature_${i}_${'f'.repeat(100)}`, type: 'NUMERIC' }));
    const r = await s.gql('mutation($i: CreateModelInput!) { createModel(input: $i) { name } }', { i: { name: 'wide', task: 'REGRESSION', description: 'd'.repeat(L.MAX_DESCRIPTION), features } }, ADMIN_KEY);
    expect(r.errors).toBeUndefined();
    const log = await s.gql('{ auditLog(limit: 1) { action details } }', undefined, ADMIN_KEY);
    expect(log.data.auditLog[0].action).toBe('createModel');
    expect(log.data.auditLog[0].details.features).toEqual({ summarised: true, items: L.MAX_FEATURES });
    expect(JSON.stringify(log.data.auditLog[0].details).length).toBeLessThanOrEqual(L.MAX_AUDIT_DETAILS);
    expect((await s.gql('{ auditLog(limit: 1001) { at } }', undefined, ADMIN_KEY)).errors![0].extensions.field).toBe('limit');
  });
});

/** A small valid value of an input type (for the arguments a case does not test). */
function sample(schema: ReturnType<typeof buildSchema>, type: any): unknown {
  const t = getNullableType(type) as any;
  if (isListType(t)) return [sample(schema, t.ofType)];
  if (isInputObjectType(t)) {
    const o: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields()) as any[]) if (String(f.type).endsWith('!')) o[f.name] = sample(schema, f.type);
    return o;
  }
  switch (t.name) {
    case 'String':
    case 'ID':
      return 'm';
    case 'Int':
      return 1;
    case 'Float':
      return 0.5;
    case 'Boolean':
      return true;
    case 'DateTime':
      return '2024-05-06T00:00:00Z';
    case 'JSON':
      return {};
    default:
      return t.getValues?.()[0]?.value ?? null;
  }
}

/** The smallest selection a field's type needs. */
function selectionFor(type: any): string {
  if (!isObjectType(type)) return '';
  const fields = type.getFields();
  const leaf = Object.values(fields).find((f: any) => f.args.length === 0 && !isObjectType(getNamedType(f.type))) as any;
  return leaf ? ` { ${leaf.name} }` : ` { __typename }`;
}
