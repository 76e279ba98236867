import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openPostgres } from '../src/store/postgres/client.js';
import { benchModel, ingestChunks, ndjsonChunks } from './postgres-ndjson.js';
const n = Number(process.env.N ?? 60000);
const T0 = Date.parse('2024-05-01T00:00:00Z');
const rows = Array.from({ length: n }, (_, i) => { const f: Record<string, unknown> = {}; for (let j = 0; j < 20; j++) f[`num_${j}`] = Math.round(Math.random() * 1e6) / 1e3; f.cat_a = ['red','green','blue'][i % 3]; f.cat_b = `seg-${i % 13}`;
  return { eventId: randomUUID(), ts: T0 + Math.floor((i / n) * 7 * 86400000), features: JSON.stringify(f), score: Math.random(), predictedLabel: null, value: null, actualLabel: null, actualValue: null, actualAt: null }; });
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' }); await admin.connect();
const name = `glassbox_h7_${randomBytes(4).toString('hex')}`; await admin.query(`CREATE DATABASE ${name}`);
const store = await openPostgres(`postgres://postgres@127.0.0.1:5432/${name}`);
try {
  const chunks = ndjsonChunks(rows);
  const m = await benchModel(store, 'x');
  // warm up (partitions, context)
  const w = await benchModel(store, 'w'); await ingestChunks(store, w, ndjsonChunks(rows.slice(0, 4000).map(r => ({ ...r, eventId: randomUUID() }))));
  await store.pool.query('CHECKPOINT');
  const t = performance.now();
  const r = await ingestChunks(store, m, chunks);
  console.log(`${r.accepted} in ${((performance.now() - t) / 1000).toFixed(2)} s = ${Math.round(r.accepted / ((performance.now() - t) / 1000))} rows/s`);
} finally { if (process.env.KEEP) { const r = await store.pool.query(`SELECT count(*) n, sum(length(data)) data, sum(pg_column_size(data)) stored, sum(coalesce(length(hists),0)) hists, sum(coalesce(pg_column_size(hists),0)) hstored FROM stats_partial`); console.log(r.rows[0]); } await store.close(); await admin.query(`DROP DATABASE ${name} WITH (FORCE)`); await admin.end(); }
