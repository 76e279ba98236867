// Two replicas creating the same channel or monitor name at once on PostgreSQL: both pass the
// name check (neither sees the other's uncommitted row), the second insert waits on the
// first's unique key and fails when it commits; that is CONFLICT naming the field, as when
// the name was taken before, never an internal error.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { createChannel } from '../../src/services/channels.js';
import { createModel } from '../../src/services/models.js';
import { createMonitor, updateMonitor } from '../../src/services/monitors.js';
import { testPostgres } from '../helpers/postgres.js';
import { useReplicas, type Replica } from './support.js';

const admin = await testPostgres();
const T0 = Date.parse('2026-11-02T00:00:00Z');
const ADMIN = { name: 'ann', role: 'ADMIN' as const };

function gate() {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** Resolves once a backend of this database waits for a lock (polls; no sleep). */
async function lockWaited(r: Replica): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    const q = await r.store.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (q.rows[0].n > 0) return;
  }
  throw new Error('no backend ever waited for a lock');
}

/**
 * Runs `first` on replica a inside a transaction held open after it wrote, then `second` on
 * replica b (which passes the name check and waits on a's unique key), then commits a.
 */
async function race<T>(a: Replica, first: () => Promise<T>, b: Replica, second: () => Promise<unknown>) {
  const wrote = gate();
  const commit = gate();
  const one = a.store.transaction(async () => {
    const out = await first();
    wrote.open();
    await commit.wait;
    return out;
  });
  await wrote.wait;
  const two = second().then(
    () => null,
    (err: unknown) => err,
  );
  await lockWaited(b);
  commit.open();
  await one;
  return two;
}

describe.skipIf(admin === null)('names taken by a concurrent replica on PostgreSQL', () => {
  const rs = useReplicas(admin, 2, T0);
  const webhook = (name: string) => ({ name, kind: 'WEBHOOK' as const, webhookUrl: 'https://example.com/hook' });

  it('createChannel: CONFLICT on input.name', async () => {
    const [a, b] = rs as [Replica, Replica];
    const err = await race(a, () => createChannel(a, ADMIN, webhook('ops')), b, () => createChannel(b, ADMIN, webhook('ops')));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'CONFLICT', field: 'input.name', message: 'a channel named "ops" already exists' });
    expect((await a.store.channels.list()).map((c) => c.name)).toEqual(['ops']);
  });

  it('createMonitor and a rename by updateMonitor: CONFLICT on input.name', async () => {
    const [a, b] = rs as [Replica, Replica];
    await createModel(a, ADMIN, { name: 'm', task: 'REGRESSION', features: [{ name: 'x', type: 'NUMERIC' }] });
    const input = (name: string) => ({ model: 'm', name, metric: 'PREDICTION_COUNT', window: '1h', schedule: '0 * * * *', comparator: 'GT' as const, warningThreshold: 1 });
    const err = await race(a, () => createMonitor(a, ADMIN, input('volume')), b, () => createMonitor(b, ADMIN, input('volume')));
    expect(err).toMatchObject({ code: 'CONFLICT', field: 'input.name', message: 'model m already has a monitor named "volume"' });
    const other = await createMonitor(a, ADMIN, input('other'));
    const again = await race(a, () => createMonitor(a, ADMIN, input('busy')), b, () => updateMonitor(b, ADMIN, other.id, { name: 'busy' }));
    expect(again).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    expect((await a.store.monitors.list()).map((m) => m.name)).toEqual(['busy', 'other', 'volume']);
  });
});
