// The daily retention run happens once per day across replicas: a claim on the day's run
// (scheduled time 00:17 UTC). On SQLite (one process) a second run the same day is skipped;
// on PostgreSQL a replica finding the day claimed by another skips it, and runs the next day.
import { afterEach, describe, expect, it } from 'vitest';
import { retentionDay, RETENTION_LEASE_MS, RETENTION_SCOPE, run } from '../../src/jobs/apply-retention.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time.js';
import { testPostgres } from '../helpers/postgres.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/db/client.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { useReplicas } from './support.js';

const admin = await testPostgres();
const DAY = Date.parse('2026-11-02T00:00:00Z');
const TICK = DAY + 17 * MINUTE_MS;

describe('the day’s run', () => {
  it('is the latest 00:17 UTC at or before the time', () => {
    expect(retentionDay(TICK)).toBe(TICK);
    expect(retentionDay(TICK + 23 * HOUR_MS)).toBe(TICK);
    expect(retentionDay(TICK - 1)).toBe(TICK - DAY_MS);
  });
});

describe('on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-retention-once-'));
  const store = openStore(join(dir, 'glassbox.db'));
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs once a day: the tick and a start-up catch-up the same day are one run', async () => {
    const d = { store, clock: fixedClock(TICK), log: silentLogger() };
    expect(await run(d, TICK, 1)).toEqual({ deletedEvents: 0, models: 0 });
    d.clock.set(TICK + 5 * HOUR_MS);
    expect(await run(d, TICK + 5 * HOUR_MS, 1)).toBeNull();
    d.clock.set(TICK + DAY_MS);
    expect(await run(d, TICK + DAY_MS, 1)).toEqual({ deletedEvents: 0, models: 0 });
  });
});

describe.skipIf(admin === null)('on PostgreSQL', () => {
  const rs = useReplicas(admin, 2, TICK);

  it('a replica finding the day claimed by another skips it, and takes it over when the lease is over', async () => {
    const [r1, r2] = rs;
    // r1 fired the tick first and holds the day's run
    expect(await r1!.store.claims.claim(RETENTION_SCOPE, TICK, 'r1', TICK, RETENTION_LEASE_MS)).toEqual({ claimed: true });
    expect(await run(r2!, TICK, 1)).toBeNull();
    expect(await r2!.store.claims.claim(RETENTION_SCOPE, TICK, 'r3', TICK + 1, RETENTION_LEASE_MS)).toMatchObject({ claimed: false, heldBy: 'r1' });
    // r1 died: after the lease r2's next try claims the day, runs it and marks it done
    r2!.clock.set(TICK + RETENTION_LEASE_MS);
    expect(await run(r2!, TICK + RETENTION_LEASE_MS, 1)).toEqual({ deletedEvents: 0, models: 0 });
    expect(await r1!.store.claims.claim(RETENTION_SCOPE, TICK, 'r3', TICK + 1, RETENTION_LEASE_MS)).toMatchObject({ claimed: false, done: true, heldBy: 'r2' });
  });
});
