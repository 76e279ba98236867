// An ingest batch never lands inside another caller's open transaction (SQLite: one
// connection, so a synchronous BEGIN there would nest as a SAVEPOINT and roll back with
// it): it waits for that transaction to end, then commits on its own.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ingestNdjson } from '../../src/services/ingest.js';
import { auditEntry } from '../../src/services/audit.js';
import { ADMIN, fixtureModel, freshDeps } from '../services/stats-helpers.js';

const line = (i: number) => JSON.stringify({ eventId: `e${i}`, timestamp: '2024-05-11T10:00:00Z', features: { x: i }, score: 0.5 });

describe('an ingest batch while another transaction is open', () => {
  it('waits for it, and is kept when that transaction rolls back', async () => {
    const deps = await freshDeps();
    const { model } = await fixtureModel(deps, 'penguins');
    const features = Object.fromEntries(model.features.map((f) => [f.name, f.type === 'NUMERIC' ? 1 : 'a']));
    const body = [0, 1, 2, 3].map((i) => ({ ...JSON.parse(line(i)), features }));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let other: Promise<void> | undefined;
    const chunks = (async function* () {
      yield `${JSON.stringify(body[0])}\n`;
      // another caller opens a transaction (it takes the connection at once) and fails later
      other = deps.store.transaction(async () => {
        await deps.store.audit.record(auditEntry(1, 'other', 'updateModel', model.name));
        await held;
        throw new Error('the other transaction failed');
      });
      void nextTurn().then(release);
      yield `${body.slice(1).map((o) => JSON.stringify(o)).join('\n')}\n`;
    })();
    const r = await ingestNdjson(deps, ADMIN, model, 'predictions', chunks, { via: 'ndjson', batchSize: 2 });
    await expect(other).rejects.toThrow('the other transaction failed');
    expect(r).toMatchObject({ accepted: 4, duplicates: 0, rejected: 0 });
    expect(deps.store.sqlite.prepare('SELECT count(*) FROM events WHERE model_id = ?').pluck().get(model.id)).toBe(4);
    expect((await deps.store.audit.list(10)).map((e) => e.action)).toContain('logPredictions');
    expect((await deps.store.audit.list(10)).map((e) => e.actor)).not.toContain('other');
  });
});
