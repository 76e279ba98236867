// The store part of ingest on PostgreSQL, against its physical limit, in one run:
// (a) a raw COPY loop of the rows (formatted from the same objects) into a plain table,
//     10k a COPY, no index, no key;
// (b) appendEvents (src/store/postgres/append-events.ts), 10k a call, one writer: staging
//     COPY + event_keys ON CONFLICT + partitioned events, idempotent on (model, eventId);
// (b0) the same forced through the staging table (COPY, then INSERT … ON CONFLICT DO NOTHING);
// (c) the same with two writers (two pools, as two replicas), each appending every other
//     batch, against (a2) two raw COPY loops at once;
// (d) the same rows again, all duplicates (a replayed or twice-sent batch);
// (e) NDJSON end to end: the same rows as one NDJSON body through the service
//     (ingestNdjson: lines, JSON.parse, validation, batches of BENCH_PG_INGEST_BATCH, default
//     the service's 2000) into the PostgreSQL prediction writer (events, keys, statistics
//     partials), in this process: the issue's goal is e/a >= 0.5;
// (f1) the same in one replica process (its own pool), (f2) two replica processes ingesting
//     the two halves at once: the goal is f2/f1 >= 1.25 (they share the 2 cores with PostgreSQL);
// (g1) a real server (`serve` on GLASSBOX_DB=postgres://…, from the sources with tsx) fed
//     the NDJSON over HTTP, (g2) two servers fed a half each at once: g2/g1 >= 1.25.
// (a), (e), (f) and (g) are timed warm: each process has first run warmRows of the rows
// (bench/postgres-ndjson.ts) through the same path into a table or model of its own, as a
// replica that has been running has. For (f) the machine's busy share of both cores is printed:
// near 100% in (f2) means the two replicas and PostgreSQL use all the CPU there is.
// Each case on fresh tables or a fresh model, after a CHECKPOINT, in a temporary database
// (GLASSBOX_TEST_PG, else 127.0.0.1:5432). BENCH_PG_EVENTS (default 200k) scales it. The
// issue's goal (NDJSON end to end >= 0.5x raw COPY) includes parsing and validation; this
// measures what the store adds. BENCH_PG_ONLY=ndjson runs (a), (e), (f1), (f2) only;
// BENCH_PROF=DIR writes a CPU profile of each replica process there.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { WEEK_MS } from '../src/domain/time.js';
import { openPostgres, type PostgresStore } from '../src/store/postgres/client.js';
import { appendEvents, type AppendRow } from '../src/store/postgres/append-events.js';
import { copyField, copyIn } from '../src/store/postgres/copy-text.js';
import { serversIngest } from './postgres-servers.js';
import { benchModel, ingestBatch, ingestChunks, ndjsonChunks, warmRows } from './postgres-ndjson.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const BATCH = 10_000;
const CATS_A = ['red', 'green', 'blue', 'amber', 'violet'];

export interface PostgresIngestResult {
  events: number;
  rawRowsPerSec: number;
  appendRowsPerSec: number;
  appendRatio: number;
  stagedRowsPerSec: number;
  twoWritersRowsPerSec: number;
  twoWritersRatio: number;
  rawTwoRowsPerSec: number;
  duplicatesRowsPerSec: number;
  ndjsonRowsPerSec: number;
  ndjsonRatio: number;
  oneReplicaRowsPerSec: number;
  twoReplicasRowsPerSec: number;
  replicasRatio: number;
  oneServerRowsPerSec: number;
  twoServersRowsPerSec: number;
  serversRatio: number;
}

/** 20 numeric and 2 categorical features as JSON text, random UUID eventIds, over a week. */
function makeRows(n: number): AppendRow[] {
  const rows = new Array<AppendRow>(n);
  for (let i = 0; i < n; i++) {
    const f: Record<string, number | string> = {};
    for (let j = 0; j < 20; j++) f[`num_${j}`] = Math.round(Math.random() * 1e6) / 1e3;
    f.cat_a = CATS_A[i % 5]!;
    f.cat_b = `seg-${i % 13}`;
    rows[i] = {
      eventId: randomUUID(),
      ts: T0 + Math.floor((i / n) * WEEK_MS),
      features: JSON.stringify(f),
      score: Math.random(),
      predictedLabel: null,
      value: null,
      actualLabel: null,
      actualValue: null,
      actualAt: null,
    };
  }
  return rows;
}

function batches(rows: AppendRow[]): AppendRow[][] {
  const out: AppendRow[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH));
  return out;
}

const RAW_COLUMNS = 'model_id, event_id, ts, features, score, predicted_label, value, actual_label, actual_value, actual_at';

/** The raw loop: format each row as a COPY line and COPY 10k at a time into a plain table. */
async function rawCopy(pool: pg.Pool, table: string, parts: AppendRow[][]): Promise<void> {
  const client = await pool.connect();
  try {
    for (const part of parts) {
      let text = '';
      for (const r of part) {
        text +=
          `1\t${copyField(r.eventId)}\t${r.ts}\t${copyField(r.features)}\t${copyField(r.score)}\t${copyField(r.predictedLabel)}\t` +
          `${copyField(r.value)}\t${copyField(r.actualLabel)}\t${copyField(r.actualValue)}\t${copyField(r.actualAt)}\n`;
      }
      await copyIn(client, `${table} (${RAW_COLUMNS})`, text);
    }
  } finally {
    client.release();
  }
}

async function appendAll(pool: pg.Pool, modelId: number, parts: AppendRow[][], way: 'auto' | 'staged' = 'auto'): Promise<number> {
  let stored = 0;
  for (const part of parts) stored += (await appendEvents(pool, modelId, part, { way })).stored.length;
  return stored;
}

/** CPU time (ms) of every process named postgres on this machine (/proc; null elsewhere or when PostgreSQL is remote). */
function postgresCpuMs(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** The last timed() case's CPU a row, µs: this process's and PostgreSQL's (null when unreadable). */
let lastCpu: { process: number; postgres: number | null } = { process: 0, postgres: null };

async function timed(pool: pg.Pool, fn: () => Promise<unknown>, rows = 0): Promise<number> {
  await pool.query('CHECKPOINT');
  const pg0 = postgresCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgresCpuMs();
  if (rows > 0) lastCpu = { process: (cpu.user + cpu.system) / rows, postgres: pg0 === null || pg1 === null ? null : ((pg1 - pg0) * 1000) / rows };
  return seconds;
}

const cpuLine = (label: string) =>
  `    CPU a row in ${label}: this process ${lastCpu.process.toFixed(1)} µs, PostgreSQL ${lastCpu.postgres === null ? '?' : `${lastCpu.postgres.toFixed(1)} µs`}`;

/** The machine's CPU time (ms) in all states but idle and iowait, from /proc/stat (null elsewhere). */
function machineBusyMs(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (f.reduce((s, x) => s + x, 0) - f[3]! - f[4]!) * 10;
  } catch {
    return null;
  }
}

/** A line on what (f) spent: the replicas' CPU a row, and how busy both cores were. */
function replicasCpuLine(processes: number, rows: number, cpuMs: number, busyMs: number | null, seconds: number): string {
  const busy = busyMs === null ? '' : `; the machine busy ${Math.round((100 * busyMs) / (seconds * 1000 * availableParallelism()))}% of ${availableParallelism()} cores`;
  return `    CPU a row: replica process${processes > 1 ? 'es' : ''} ${((cpuMs * 1000) / rows).toFixed(1)} µs${busy}`;
}

/**
 * Replica processes (bench/postgres-replica.ts), one per file, each with its own pool,
 * started, warmed up (the warm file's rows into a model of its own, `${model}-warm-${i}`),
 * ready, and after a CHECKPOINT the clock starts; told to go at once. Rows accepted in all.
 */
async function replicas(
  store: PostgresStore,
  url: string,
  model: string,
  files: string[],
  warmFile: string,
  log: (l: string) => void,
): Promise<{ accepted: number; seconds: number }> {
  const script = fileURLToPath(new URL('./postgres-replica.ts', import.meta.url));
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const warmModels: string[] = [];
  for (let i = 0; i < files.length; i++) warmModels.push(await benchModel(store, `${model}-warm-${i}`));
  const procs = files.map((file, i) => {
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', script], {
      env: { ...process.env, GLASSBOX_DB: url, BENCH_FILE: file, BENCH_MODEL: model, BENCH_WARM_FILE: warmFile, BENCH_WARM_MODEL: warmModels[i] },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => {
      const l = await lines.next();
      if (l.done) throw new Error('a replica exited early');
      return l.value;
    };
    return { child, next };
  });
  for (const p of procs) if ((await p.next()) !== 'ready') throw new Error('a replica did not start');
  await store.pool.query('CHECKPOINT');
  const busy0 = machineBusyMs();
  const t = performance.now();
  for (const p of procs) p.child.stdin!.write('go\n');
  const out = await Promise.all(procs.map(async (p) => JSON.parse(await p.next()) as { accepted: number; seconds: number; cpuMs: number }));
  const seconds = (performance.now() - t) / 1000;
  const busy1 = machineBusyMs();
  if (out.length > 1) log(`    each replica: ${out.map((o) => `${o.accepted} rows in ${o.seconds.toFixed(1)} s`).join(', ')}`);
  const accepted = out.reduce((s, o) => s + o.accepted, 0);
  log(replicasCpuLine(out.length, accepted, out.reduce((s, o) => s + o.cpuMs, 0), busy0 === null || busy1 === null ? null : busy1 - busy0, seconds));
  return { accepted, seconds };
}

const evens = <T>(xs: T[], parity: number) => xs.filter((_, i) => i % 2 === parity);

/** Runs the bench on a temporary database of the test PostgreSQL; throws when there is none. */
export async function runPostgresIngestBench(opts: { events?: number; log?: (l: string) => void } = {}): Promise<PostgresIngestResult> {
  const n = opts.events ?? Number(process.env.BENCH_PG_EVENTS ?? 200_000);
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const adminUrl = process.env.GLASSBOX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `glassbox_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  let a: PostgresStore | undefined;
  let b: PostgresStore | undefined;
  try {
    a = await openPostgres(u.toString());
    b = await openPostgres(u.toString(), { migrate: false });
    const rows = makeRows(n);
    const parts = batches(rows);
    const model = async (m: string) =>
      (await a!.pool.query<{ id: number }>(
        `INSERT INTO models (name, task, features, created_at, updated_at) VALUES ($1, 'BINARY_CLASSIFICATION', '[]', 0, 0) RETURNING id`,
        [m],
      )).rows[0]!.id;
    // the plain tables: the same columns, ids from the same kind of sequence default, nothing else
    await a.pool.query(`CREATE TABLE raw1 (LIKE events INCLUDING DEFAULTS)`);
    await a.pool.query(`CREATE TABLE raw2 (LIKE events INCLUDING DEFAULTS)`);
    await a.pool.query(`CREATE TABLE raw0 (LIKE events INCLUDING DEFAULTS)`);
    const warm = warmRows(n);
    log(`postgres-ingest bench: ${n} events of 20 numeric + 2 categorical features (JSON text), random UUID eventIds, over a week, ${BATCH} a batch`);

    await rawCopy(a.pool, 'raw0', batches(rows.slice(0, warm)));
    const raw = n / (await timed(a.pool, () => rawCopy(a!.pool, 'raw1', parts), n));
    log(`(a) raw COPY loop into a plain table:          ${Math.round(raw)} rows/s`);
    const rawCpu = lastCpu;
    log(cpuLine('(a)'));
    const only = process.env.BENCH_PG_ONLY === 'ndjson';
    let append = Number.NaN;
    let staged = Number.NaN;
    let two = Number.NaN;
    let rawTwo = Number.NaN;
    let dup = Number.NaN;
    if (!only) {
      const m1 = await model('one');
      let stored = 0;
      append = n / (await timed(a.pool, async () => (stored = await appendAll(a!.pool, m1, parts))));
      if (stored !== n) throw new Error(`(b) stored ${stored} of ${n}`);
      log(`(b) appendEvents, one writer:                  ${Math.round(append)} rows/s   b/a = ${(append / raw).toFixed(2)}`);
      const m0 = await model('staged');
      let viaStaging = 0;
      staged = n / (await timed(a.pool, async () => (viaStaging = await appendAll(a!.pool, m0, parts, 'staged'))));
      if (viaStaging !== n) throw new Error(`(b0) stored ${viaStaging} of ${n}`);
      log(`(b0) the staged way only, one writer:          ${Math.round(staged)} rows/s   b0/b = ${(staged / append).toFixed(2)}`);
      const m2 = await model('two');
      let both = 0;
      two =
        n /
        (await timed(a.pool, async () => {
          const [x, y] = await Promise.all([appendAll(a!.pool, m2, evens(parts, 0)), appendAll(b!.pool, m2, evens(parts, 1))]);
          both = x + y;
        }));
      if (both !== n) throw new Error(`(c) stored ${both} of ${n}`);
      log(`(c) appendEvents, two writers (two pools):     ${Math.round(two)} rows/s   c/b = ${(two / append).toFixed(2)}`);
      rawTwo =
        n / (await timed(a.pool, () => Promise.all([rawCopy(a!.pool, 'raw2', evens(parts, 0)), rawCopy(b!.pool, 'raw2', evens(parts, 1))])));
      log(`(a2) two raw COPY loops at once:               ${Math.round(rawTwo)} rows/s   a2/a = ${(rawTwo / raw).toFixed(2)}`);
      let again = 0;
      dup = n / (await timed(a.pool, async () => (again = await appendAll(a!.pool, m1, parts))));
      if (again !== 0) throw new Error(`(d) stored ${again} duplicates`);
      log(`(d) the same rows again (all duplicates):      ${Math.round(dup)} rows/s   d/b = ${(dup / append).toFixed(2)}`);
      const size = await a.pool.query<{ events: number; keys: number; raw: number }>(
        `SELECT (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('events_m' || $1::text))::float8 AS events,
                pg_total_relation_size('event_keys')::float8 AS keys, pg_total_relation_size('raw1')::float8 AS raw`,
        [m1],
      );
      const s = size.rows[0]!;
      log(`bytes an event: raw table ${Math.round(s.raw / n)}, events partitions ${Math.round(s.events / n)}, event_keys ${Math.round(s.keys / (3 * n))}`);
    }

    const chunks = ndjsonChunks(rows);
    const warmChunks = ndjsonChunks(rows.slice(0, warm));
    await ingestChunks(a, await benchModel(a, 'ndjson-warm'), warmChunks);
    const mE = await benchModel(a, 'ndjson');
    let viaNdjson = 0;
    // how much of (e) the main thread was busy: near 100% means it is what bounds (e), less that it waits on PostgreSQL
    let elu = performance.eventLoopUtilization();
    const ndjson = n / (await timed(a.pool, async () => {
      elu = performance.eventLoopUtilization();
      viaNdjson = (await ingestChunks(a!, mE, chunks)).accepted;
      elu = performance.eventLoopUtilization(elu);
    }, n));
    if (viaNdjson !== n) throw new Error(`(e) accepted ${viaNdjson} of ${n}`);
    log(`(e) NDJSON end to end, in process, ${ingestBatch()} a batch: ${Math.round(ndjson)} rows/s   e/a = ${(ndjson / raw).toFixed(2)} (goal >= 0.5)`);
    log(`${cpuLine('(e)')}; main thread busy ${Math.round(elu.utilization * 100)}% of the time`);
    // both cores busy all the time is the most (e) can do: its CPU a row over the cores, against (a)'s wall time a row
    if (lastCpu.postgres !== null) {
      const floor = (lastCpu.process + lastCpu.postgres) / availableParallelism();
      log(`    (e) needs ${(lastCpu.process + lastCpu.postgres).toFixed(1)} µs of CPU a row: on ${availableParallelism()} cores at best ${floor.toFixed(1)} µs a row, e/a <= ${(1e6 / raw / floor).toFixed(2)} (raw: ${(rawCpu.process + (rawCpu.postgres ?? 0)).toFixed(1)} µs of CPU, ${(1e6 / raw).toFixed(1)} µs a row)`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-pg-'));
    let one = Number.NaN;
    let pair = Number.NaN;
    let oneServer = Number.NaN;
    let twoServers = Number.NaN;
    try {
      const whole = join(dir, 'all.ndjson');
      writeFileSync(whole, Buffer.concat(chunks));
      const warmFile = join(dir, 'warm.ndjson');
      writeFileSync(warmFile, Buffer.concat(warmChunks));
      const halves = [0, 1].map((h) => {
        const f = join(dir, `half${h}.ndjson`);
        writeFileSync(f, Buffer.concat(ndjsonChunks(rows.slice(h === 0 ? 0 : n / 2, h === 0 ? n / 2 : n))));
        return f;
      });
      const r1 = await replicas(a, u.toString(), await benchModel(a, 'replica-one'), [whole], warmFile, log);
      if (r1.accepted !== n) throw new Error(`(f1) accepted ${r1.accepted} of ${n}`);
      one = n / r1.seconds;
      log(`(f1) NDJSON, one replica process:             ${Math.round(one)} rows/s   f1/a = ${(one / raw).toFixed(2)}`);
      const r2 = await replicas(a, u.toString(), await benchModel(a, 'replica-two'), halves, warmFile, log);
      if (r2.accepted !== n) throw new Error(`(f2) accepted ${r2.accepted} of ${n}`);
      pair = n / r2.seconds;
      log(`(f2) NDJSON, two replica processes at once:   ${Math.round(pair)} rows/s   f2/f1 = ${(pair / one).toFixed(2)} (goal >= 1.25)`);
      const s1 = await serversIngest(u.toString(), await benchModel(a, 'server-one'), [whole], {
        file: warmFile,
        models: [await benchModel(a, 'server-one-warm-0')],
        done: () => a!.pool.query('CHECKPOINT'),
      });
      if (s1.accepted !== n) throw new Error(`(g1) accepted ${s1.accepted} of ${n}`);
      oneServer = n / s1.seconds;
      log(`(g1) NDJSON over HTTP, one server:            ${Math.round(oneServer)} rows/s   g1/a = ${(oneServer / raw).toFixed(2)} (goal >= 0.5)`);
      const s2 = await serversIngest(u.toString(), await benchModel(a, 'server-two'), halves, {
        file: warmFile,
        models: [await benchModel(a, 'server-two-warm-0'), await benchModel(a, 'server-two-warm-1')],
        done: () => a!.pool.query('CHECKPOINT'),
      });
      if (s2.accepted !== n) throw new Error(`(g2) accepted ${s2.accepted} of ${n}`);
      twoServers = n / s2.seconds;
      log(`(g2) NDJSON over HTTP, two servers at once:   ${Math.round(twoServers)} rows/s   g2/g1 = ${(twoServers / oneServer).toFixed(2)} (goal >= 1.25)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return {
      events: n,
      rawRowsPerSec: raw,
      appendRowsPerSec: append,
      appendRatio: append / raw,
      stagedRowsPerSec: staged,
      twoWritersRowsPerSec: two,
      twoWritersRatio: two / append,
      rawTwoRowsPerSec: rawTwo,
      duplicatesRowsPerSec: dup,
      ndjsonRowsPerSec: ndjson,
      ndjsonRatio: ndjson / raw,
      oneReplicaRowsPerSec: one,
      twoReplicasRowsPerSec: pair,
      replicasRatio: pair / one,
      oneServerRowsPerSec: oneServer,
      twoServersRowsPerSec: twoServers,
      serversRatio: twoServers / oneServer,
    };
  } finally {
    await a?.close();
    await b?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
