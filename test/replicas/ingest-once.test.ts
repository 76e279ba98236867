// The same NDJSON ingested by three replicas at once (three stores, three pools, in one
// process) on one PostgreSQL database: every event stored once; the three answers' accepted
// counts add up to the events (each accepted by exactly one, a duplicate for the others).
import { describe, expect, it } from 'vitest';
import { createModel } from '../../src/services/models.js';
import { ingestNdjson } from '../../src/services/ingest.js';
import { testPostgres } from '../helpers/postgres.js';
import { useReplicas } from './support.js';

const admin = await testPostgres();
const T0 = Date.parse('2026-11-02T00:00:00Z');
const ADMIN = { name: 'ann', role: 'ADMIN' as const };
const N = 3000;

describe.skipIf(admin === null)('one NDJSON, three replicas at once', () => {
  const rs = useReplicas(admin, 3, T0 + 86_400_000);

  it('stores every event once', async () => {
    const model = await createModel(rs[0]!, ADMIN, { name: 'same', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
    const lines = Array.from({ length: N }, (_, i) => `${JSON.stringify({ eventId: `e${i}`, timestamp: new Date(T0 + i * 1000).toISOString(), features: { x: i % 17 }, value: i % 5 })}\n`);
    // each replica streams the body in chunks of 100 lines, in small batches, so their transactions interleave
    const body = async function* () {
      for (let i = 0; i < N; i += 100) yield lines.slice(i, i + 100).join('');
    };
    const answers = await Promise.all(rs.map((r) => ingestNdjson(r, ADMIN, model, 'predictions', body(), { via: 'ndjson', batchSize: 250 })));
    expect(answers.map((a) => a.rejected)).toEqual([0, 0, 0]);
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(N);
    for (const a of answers) expect(a.accepted + a.duplicates).toBe(N);
    const stored = await rs[1]!.store.pool.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM events WHERE model_id = $1', [model.id]);
    expect(stored.rows[0]).toEqual({ n: N, d: N });
  });
});
