// One replica of the PostgreSQL ingest bench: opens its own store (pool) on GLASSBOX_DB,
// reads its NDJSON file, warms up on BENCH_WARM_FILE (into BENCH_WARM_MODEL), says "ready",
// ingests its file into BENCH_MODEL when the parent writes a line, then prints the result
// (with its CPU time) as JSON and exits. Started by bench/postgres-ingest.ts.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openPostgres } from '../src/store/postgres/client.js';
import { ingestChunks, pieces } from './postgres-ndjson.js';

const store = await openPostgres(process.env.GLASSBOX_DB!, { migrate: false });
const chunks = pieces(readFileSync(process.env.BENCH_FILE!));
// warm, as a replica that has been running is (bench/postgres-ndjson.ts, warmRows)
if (process.env.BENCH_WARM_FILE) await ingestChunks(store, process.env.BENCH_WARM_MODEL!, pieces(readFileSync(process.env.BENCH_WARM_FILE)));
const stdin = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => stdin.once('line', () => resolve()));
process.stdout.write('ready\n');
await go;
// the parent writes nothing more: stdin must not keep the process (and its CPU profile) alive
stdin.close();
process.stdin.destroy();
const t = performance.now();
const cpu0 = process.cpuUsage();
const r = await ingestChunks(store, process.env.BENCH_MODEL!, chunks);
const seconds = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
await store.close();
process.stdout.write(`${JSON.stringify({ accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, seconds, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
