// The data port's write contract (contract/data-writes.ts) on PostgreSQL: one temporary
// database for the file.
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/store/postgres/client.js';
import { testPostgres, useTempDatabase } from '../helpers/postgres.js';
import { describeDataWrites, type DataHarness } from './contract/data-writes.js';

const admin = await testPostgres();

describe.skipIf(admin === null)('PostgreSQL', () => {
  const db = useTempDatabase(admin);
  const h = {} as DataHarness;
  let store: PostgresStore;
  beforeAll(async () => {
    store = await openPostgres(db.url);
    h.store = store;
  });
  afterAll(async () => {
    await store?.close();
  });
  describeDataWrites('PostgreSQL', h);
});
