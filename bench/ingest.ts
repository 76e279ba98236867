// Ingest throughput against its physical limit, measured in one run on one machine:
// (a) a raw better-sqlite3 loop appending the same rows as JSON text to a plain table,
//     1000 a transaction, the server's pragmas;
// (b) NDJSON over HTTP, end to end, against a spawned server;
// (c) GraphQL logPredictions in batches of 1000 against the same server;
// (b2), (c2) the same events shuffled over their week (backfills, replicas, late clients);
// (d), (d2) NDJSON in order and shuffled with a baseline set (fine histograms kept);
// (e) NDJSON in order while 20 clients ask for the week's drift in a loop;
// each server run on a fresh database;
// plus the server's peak RSS while it streams a large NDJSON file, and database bytes a
// event. BENCH_EVENTS (default 1M) and BENCH_RSS_MB (default 1024, 0 skips) scale it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { WEEK_MS } from '../src/domain/time.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const T0 = Date.parse('2024-05-01T00:00:00Z');
const WEEK = WEEK_MS;
const CATS_A = ['red', 'green', 'blue', 'amber', 'violet'];

export interface IngestBenchOptions {
  events?: number;
  /** size of the NDJSON file streamed for the RSS figure, in MiB; 0 skips it */
  rssMb?: number;
  log?: (line: string) => void;
}

export interface IngestBenchResult {
  events: number;
  rawRowsPerSec: number;
  ndjsonRowsPerSec: number;
  graphqlRowsPerSec: number;
  ndjsonRatio: number;
  graphqlRatio: number;
  ndjsonShuffledRowsPerSec: number;
  graphqlShuffledRowsPerSec: number;
  baselineRowsPerSec: number;
  baselineShuffledRowsPerSec: number;
  underReadersRowsPerSec: number;
  dbBytesPerEvent: number;
  peakRssMb: number | null;
  rssFileMb: number | null;
}

/** One prediction line: 20 numeric and 2 categorical features, a random UUID eventId. */
function line(i: number, n: number): string {
  const f: Record<string, number | string> = {};
  for (let j = 0; j < 20; j++) f[`num_${j}`] = Math.round(Math.random() * 1e6) / 1e3;
  f.cat_a = CATS_A[i % 5]!;
  f.cat_b = `seg-${i % 13}`;
  return JSON.stringify({ eventId: randomUUID(), timestamp: new Date(T0 + Math.floor((i / n) * WEEK)).toISOString(), features: f, score: Math.random() });
}

async function writeEvents(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += line(i, n) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(buf, () => resolve());
  });
}

/** The server's pragmas (src/db/client.ts), on a plain table with no index but the rowid. */
function rawLoop(dir: string, file: string): Promise<number> {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 10000');
  db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL, event_id TEXT NOT NULL, ts INTEGER NOT NULL, features TEXT NOT NULL, score REAL)');
  const insert = db.prepare('INSERT INTO events (model_id, event_id, ts, features, score) VALUES (?, ?, ?, ?, ?)');
  type Row = [string, number, string, number];
  const tx = db.transaction((rows: Row[]) => {
    for (const r of rows) insert.run(1, r[0], r[1], r[2], r[3]);
  });
  let timed = 0;
  let rows: Row[] = [];
  const flush = () => {
    const t = performance.now();
    tx(rows);
    timed += performance.now() - t;
    rows = [];
  };
  return (async () => {
    // parsing the file is not timed: (a) is the cost of the inserts alone
    for await (const l of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      const o = JSON.parse(l) as { eventId: string; timestamp: string; features: unknown; score: number };
      rows.push([o.eventId, Date.parse(o.timestamp), JSON.stringify(o.features), o.score]);
      if (rows.length === 1000) flush();
    }
    if (rows.length) flush();
    const n = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    db.close();
    return n / (timed / 1000);
  })();
}

interface Server {
  url: string;
  /** the tail of what the server logged */
  logTail(): string;
  child: ChildProcess;
  dbPath: string;
  stop(): Promise<void>;
}

/**
 * Compiles the server as it ships (`node dist/main.js serve`, no tsx in memory) into the
 * bench's temp dir, beside links to drizzle/, schema/ and node_modules/.
 */
function buildServer(dir: string): string {
  const app = join(dir, 'app');
  mkdirSync(app);
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist'), '--sourceMap', 'false'], { stdio: 'inherit' });
  copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
  for (const shared of ['drizzle', 'schema']) symlinkSync(join(ROOT, shared), join(app, shared));
  return join(app, 'dist', 'main.js');
}

async function startServer(main: string, dir: string, name: string): Promise<Server> {
  const dbPath = join(dir, `${name}.db`);
  // BENCH_PROF=DIR writes a CPU profile of each server there
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, main, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, GLASSBOX_DB: dbPath, PORT: '0', HOST: '127.0.0.1', GLASSBOX_SCHEDULER: 'off', LOG_LEVEL: 'info', GLASSBOX_ADMIN_KEY: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-20_000);
      const m = /"url":"(http:[^"]+)"/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${err.slice(-2000)}`)));
  });
  await gql(url, `mutation($i: CreateModelInput!) { createModel(input: $i) { name } }`, {
    i: {
      name: 'bench',
      task: 'BINARY_CLASSIFICATION',
      positiveClass: 'yes',
      features: [
        ...Array.from({ length: 20 }, (_, j) => ({ name: `num_${j}`, type: 'NUMERIC' })),
        { name: 'cat_a', type: 'CATEGORICAL' },
        { name: 'cat_b', type: 'CATEGORICAL' },
      ],
    },
  });
  return {
    url,
    logTail: () => err.slice(-4000),
    child,
    dbPath,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function gql(url: string, query: string, variables: unknown): Promise<any> {
  const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await r.json()) as { errors?: unknown; data: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Streams a file to the NDJSON route; resolves with the answer. */
function postFile(url: string, file: string): Promise<{ accepted: number; duplicates: number; rejected: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/models/bench/predictions`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    createReadStream(file, { highWaterMark: 1 << 16 }).pipe(req);
  });
}

/** GraphQL logPredictions, 1000 a call, two calls in flight; the lines are spliced in as variables. */
async function postGraphql(url: string, file: string): Promise<number> {
  const query = 'mutation($m: String!, $p: [PredictionInput!]!) { logPredictions(model: $m, predictions: $p) { accepted duplicates rejected } }';
  const head = `{"query":${JSON.stringify(query)},"variables":{"m":"bench","p":[`;
  let accepted = 0;
  const inFlight = new Set<Promise<void>>();
  let batch: string[] = [];
  const send = (lines: string[]) => {
    const p = fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${head}${lines.join(',')}]}}` })
      .then((r) => r.json() as Promise<{ data?: { logPredictions: { accepted: number } }; errors?: unknown }>)
      .then((b) => {
        if (!b.data) throw new Error(JSON.stringify(b.errors));
        accepted += b.data.logPredictions.accepted;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };
  for await (const l of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    batch.push(l);
    if (batch.length === 1000) {
      if (inFlight.size >= 2) await Promise.race(inFlight);
      send(batch);
      batch = [];
    }
  }
  if (batch.length) send(batch);
  await Promise.all(inFlight);
  return accepted;
}

/** The file's lines in a random order (Fisher-Yates), written beside it. */
function shuffleFile(file: string, out: string): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  writeFileSync(out, lines.join('\n') + '\n');
}

/** A baseline of `rows` rows like the events (NDJSON, its own route). */
async function postBaseline(url: string, rows: number): Promise<void> {
  const body = Array.from({ length: rows }, (_, i) => {
    const o = JSON.parse(line(i, rows)) as Record<string, unknown>;
    delete o.eventId;
    delete o.timestamp;
    return JSON.stringify({ ...o, actualLabel: Math.random() < 0.5 ? 'yes' : 'no' });
  }).join('\n');
  const r = await fetch(`${url}/v1/models/bench/baseline`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  if (r.status !== 200) throw new Error(`baseline: ${r.status} ${await r.text()}`);
}

function dbBytes(path: string): number {
  let n = 0;
  for (const f of [path, `${path}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      /* absent */
    }
  }
  return n;
}

/** CPU seconds used so far by a process: [all threads, its main thread]. */
function cpuSeconds(pid: number): [number, number] {
  const ticks = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  return [ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')), ticks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'))];
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Runs (a), (b), (c) and the RSS figure; prints and returns them. */
export async function runIngestBench(opts: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const n = opts.events ?? Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const rssMb = opts.rssMb ?? Number(process.env.BENCH_RSS_MB ?? 1024);
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-ingest-'));
  try {
    const file = join(dir, 'events.ndjson');
    await writeEvents(file, n);
    log(`ingest bench: ${n} events of 20 numeric + 2 categorical features, random UUID eventIds (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB NDJSON)`);

    const c0 = process.cpuUsage();
    const raw = await rawLoop(dir, file);
    const c1 = process.cpuUsage(c0);
    log(`(a) raw better-sqlite3 loop, 1000/txn:      ${Math.round(raw)} rows/s   (bench process CPU a row incl. untimed parsing: ${((c1.user + c1.system) / n).toFixed(1)} us)`);

    const main = buildServer(dir);
    const shuffled = join(dir, 'shuffled.ndjson');
    shuffleFile(file, shuffled);
    const cpuLine = (c0: [number, number], c1: [number, number]) =>
      `    server CPU a row: ${(((c1[0] - c0[0]) / n) * 1e6).toFixed(1)} us (main thread ${(((c1[1] - c0[1]) / n) * 1e6).toFixed(1)} us)`;
    let bytesPerEvent = 0;
    /** One fresh server: optional baseline, then the file through one door; rows/s. */
    const measure = async (name: string, path: string, door: 'ndjson' | 'graphql', baselineRows = 0, readers = 0): Promise<number> => {
      const server = await startServer(main, dir, name);
      if (baselineRows > 0) await postBaseline(server.url, baselineRows);
      const c0 = cpuSeconds(server.child.pid!);
      const t = performance.now();
      let done = false;
      let reads = 0;
      const q = `{ model(name: "bench") { drift(from: "${new Date(T0).toISOString()}", to: "${new Date(T0 + WEEK).toISOString()}") { feature psi } } }`;
      const reader = async () => {
        while (!done) {
          await gql(server.url, q, {});
          reads++;
        }
      };
      const readersDone = Promise.all(Array.from({ length: readers }, reader));
      const accepted = await (door === 'ndjson' ? postFile(server.url, path).then((r) => r.accepted) : postGraphql(server.url, path)).catch((e: unknown) => {
        log(`${name} failed; the server's log ends with:\n${server.logTail()}`);
        throw e;
      });
      // timed to the first read that sees every event: it writes out what the server's head holds
      const seen = await gql(server.url, `{ model(name: "bench") { traffic(from: "${new Date(T0).toISOString()}", to: "${new Date(T0 + WEEK).toISOString()}") { predictionCount } } }`, {});
      const rate = accepted / ((performance.now() - t) / 1000);
      done = true;
      if (seen.model.traffic.predictionCount !== n) throw new Error(`${name}: the statistics count ${seen.model.traffic.predictionCount} of ${n} events`);
      await readersDone;
      if (readers) log(`    (${name}) ${reads} drift queries answered meanwhile`);
      if (accepted !== n) throw new Error(`${name}: accepted ${accepted} of ${n}`);
      const c1 = cpuSeconds(server.child.pid!);
      await server.stop();
      if (name === 'b') bytesPerEvent = dbBytes(server.dbPath) / n;
      rmSync(server.dbPath, { force: true });
      rmSync(`${server.dbPath}-wal`, { force: true });
      log(cpuLine(c0, c1).replace('    ', `    (${name}) `));
      return rate;
    };
    const ndjson = await measure('b', file, 'ndjson');
    log(`(b) NDJSON over HTTP, in time order:        ${Math.round(ndjson)} rows/s   b/a = ${(ndjson / raw).toFixed(2)} (goal >= 0.5)`);
    const ndjsonShuffled = await measure('b2', shuffled, 'ndjson');
    log(`(b2) NDJSON, the same events shuffled:      ${Math.round(ndjsonShuffled)} rows/s   b2/b = ${(ndjsonShuffled / ndjson).toFixed(2)} (goal >= 0.8)`);
    const graphql = await measure('c', file, 'graphql');
    log(`(c) GraphQL logPredictions, 1000 a call:    ${Math.round(graphql)} rows/s   c/a = ${(graphql / raw).toFixed(2)} (goal >= 0.25)`);
    const graphqlShuffled = await measure('c2', shuffled, 'graphql');
    log(`(c2) GraphQL, shuffled:                     ${Math.round(graphqlShuffled)} rows/s   c2/c = ${(graphqlShuffled / graphql).toFixed(2)} (goal >= 0.8)`);
    const baselineRows = Number(process.env.BENCH_BASELINE_ROWS ?? 20_000);
    const withBaseline = await measure('d', file, 'ndjson', baselineRows);
    log(`(d) NDJSON in order, baseline of ${baselineRows} set: ${Math.round(withBaseline)} rows/s   d/b = ${(withBaseline / ndjson).toFixed(2)}`);
    const withBaselineShuffled = await measure('d2', shuffled, 'ndjson', baselineRows);
    log(`(d2) NDJSON shuffled, baseline set:         ${Math.round(withBaselineShuffled)} rows/s   d2/d = ${(withBaselineShuffled / withBaseline).toFixed(2)} (goal >= 0.8)`);
    const underReaders = await measure('e', file, 'ndjson', 0, 20);
    log(`(e) NDJSON in order, 20 drift readers:      ${Math.round(underReaders)} rows/s   e/b = ${(underReaders / ndjson).toFixed(2)} (goal >= 0.5)`);
    log(`database bytes per event (file + WAL after (b)): ${Math.round(bytesPerEvent)}`);

    let peak: number | null = null;
    let rssFile: number | null = null;
    if (rssMb > 0) {
      rmSync(file);
      rmSync(shuffled);
      const big = join(dir, 'big.ndjson');
      const lines = Math.ceil((rssMb * 2 ** 20) / 470);
      await writeEvents(big, lines);
      rssFile = statSync(big).size / 2 ** 20;
      const server3 = await startServer(main, dir, 'rss');
      const before = peakRssMb(server3.child.pid!);
      const r = await postFile(server3.url, big);
      peak = peakRssMb(server3.child.pid!);
      await server3.stop();
      log(`server peak RSS (VmHWM) streaming a ${rssFile.toFixed(0)} MiB NDJSON file (${r.accepted} events): ${peak.toFixed(0)} MiB (${before.toFixed(0)} MiB before; goal < 300)`);
    }
    return {
      events: n,
      rawRowsPerSec: raw,
      ndjsonRowsPerSec: ndjson,
      graphqlRowsPerSec: graphql,
      ndjsonRatio: ndjson / raw,
      graphqlRatio: graphql / raw,
      ndjsonShuffledRowsPerSec: ndjsonShuffled,
      graphqlShuffledRowsPerSec: graphqlShuffled,
      baselineRowsPerSec: withBaseline,
      baselineShuffledRowsPerSec: withBaselineShuffled,
      underReadersRowsPerSec: underReaders,
      dbBytesPerEvent: bytesPerEvent,
      peakRssMb: peak,
      rssFileMb: rssFile,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
