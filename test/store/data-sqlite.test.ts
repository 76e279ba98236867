// The data port's write contract (contract/data-writes.ts) on SQLite: one in-memory store for the file.
import { afterAll } from 'vitest';
import { openStore } from '../../src/db/client.js';
import { describeDataWrites, type DataHarness } from './contract/data-writes.js';

const store = openStore(':memory:');
afterAll(() => store.close());
describeDataWrites('SQLite', { store } as DataHarness);
