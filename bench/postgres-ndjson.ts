// The NDJSON end-to-end path of the PostgreSQL ingest bench (bench/postgres-ingest.ts): the
// service (ingestNdjson: split lines, JSON.parse, validate, batch) over a PostgresStore's
// prediction writer (events, keys, statistics partials), in this process or in a replica
// process (bench/postgres-replica.ts), from the same rows the raw COPY loop writes.
import { silentLogger } from '../src/log.js';
import { systemClock } from '../src/clock.js';
import type { Store } from '../src/db/client.js';
import type { FeatureDef } from '../src/domain/model.js';
import type { AppendRow } from '../src/store/postgres/append-events.js';
import type { PostgresStore } from '../src/store/postgres/client.js';
import { DEFAULT_BATCH, ingestNdjson, type IngestResult } from '../src/services/ingest.js';

/** The bench's features: 20 numeric, 2 categorical, as in bench/ingest.ts. */
export const BENCH_FEATURES: FeatureDef[] = [
  ...Array.from({ length: 20 }, (_, j): FeatureDef => ({ name: `num_${j}`, type: 'NUMERIC', protected: false, min: null, max: null })),
  { name: 'cat_a', type: 'CATEGORICAL', protected: false, min: null, max: null },
  { name: 'cat_b', type: 'CATEGORICAL', protected: false, min: null, max: null },
];

/** Registers a binary classifier with the bench's features; its name. */
export async function benchModel(store: PostgresStore, name: string): Promise<string> {
  const m = await store.models.create({
    name,
    task: 'BINARY_CLASSIFICATION',
    description: null,
    positiveClass: 'yes',
    decisionThreshold: null,
    features: BENCH_FEATURES,
    retentionDays: null,
    createdAt: Date.now(),
  });
  if (!m) throw new Error(`model ${name} exists`);
  return name;
}

/** The rows as one NDJSON body, in 64 KiB chunks (as a socket hands them over). */
export function ndjsonChunks(rows: readonly AppendRow[]): Buffer[] {
  let text = '';
  for (const r of rows) text += `{"eventId":"${r.eventId}","timestamp":"${new Date(r.ts).toISOString()}","features":${r.features},"score":${r.score}}\n`;
  return pieces(Buffer.from(text));
}

/** A body cut into 64 KiB pieces, as a socket hands them over. */
export function pieces(all: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; i += 1 << 16) out.push(all.subarray(i, i + (1 << 16)));
  return out;
}

/**
 * Rows each process ingests into a model of its own before a timed case (BENCH_PG_WARM, else
 * n/2 up to 100k), so that the case measures a warm process as a running replica is, not
 * V8 compiling the path: a fresh process spent 12-19% more CPU on its first 200k rows than on
 * the next (scratch, three ingests of 200k in one process, three runs: 2.85 s of CPU on
 * average, then 2.56 s and 2.41 s), and two replicas of half the rows each would pay that
 * twice against one replica's once.
 */
export const warmRows = (n: number): number => Number(process.env.BENCH_PG_WARM ?? Math.min(Math.floor(n / 2), 100_000));

/** Lines a transaction for the bench's ingest (BENCH_PG_INGEST_BATCH, else the service's default). */
export const ingestBatch = (): number => Number(process.env.BENCH_PG_INGEST_BATCH ?? DEFAULT_BATCH);

/** Streams the chunks through ingestNdjson into the model, as the NDJSON route does. */
export async function ingestChunks(store: PostgresStore, modelName: string, chunks: readonly Buffer[]): Promise<IngestResult> {
  const model = await store.models.byName(modelName);
  if (!model) throw new Error(`no model ${modelName}`);
  // the services take the SQLite-typed Store; the ingest path uses only its port (store.data)
  const deps = { store: store as unknown as Store, clock: systemClock(), log: silentLogger() };
  // a chunk a turn of the event loop, as a socket hands them over (not all in microtasks)
  async function* body(): AsyncGenerator<Buffer> {
    for (const c of chunks) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield c;
    }
  }
  return ingestNdjson(deps, { name: 'bench', role: 'INGEST' }, model, 'predictions', body(), { via: 'ndjson', batchSize: ingestBatch() });
}
