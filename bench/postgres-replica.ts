// One replica of the PostgreSQL ingest bench: opens its own store (pool) on GLASSBOX_DB,
// reads its NDJSON file, says "ready", ingests it into BENCH_MODEL when the parent writes a
// line, then prints the result as JSON and exits. Started by bench/postgres-ingest.ts.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openPostgres } from '../src/store/postgres/client.js';
import { ingestChunks } from './postgres-ndjson.js';

const store = await openPostgres(process.env.GLASSBOX_DB!, { migrate: false });
const all = readFileSync(process.env.BENCH_FILE!);
const chunks: Buffer[] = [];
for (let i = 0; i < all.length; i += 1 << 16) chunks.push(all.subarray(i, i + (1 << 16)));
const stdin = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => stdin.once('line', () => resolve()));
process.stdout.write('ready\n');
await go;
// the parent writes nothing more: stdin must not keep the process (and its CPU profile) alive
stdin.close();
process.stdin.destroy();
const t = performance.now();
const r = await ingestChunks(store, process.env.BENCH_MODEL!, chunks);
const seconds = (performance.now() - t) / 1000;
await store.close();
process.stdout.write(`${JSON.stringify({ accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, seconds })}\n`);
