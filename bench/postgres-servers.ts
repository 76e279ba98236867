// Real servers on PostgreSQL for the ingest bench (bench/postgres-ingest.ts): `serve` run
// from the sources (tsx) with GLASSBOX_DB at the bench's database, each its own process and
// pool, fed NDJSON files over HTTP at once; the clock starts once every server listens.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(db: string): Promise<Server> {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, GLASSBOX_DB: db, PORT: '0', HOST: '127.0.0.1', GLASSBOX_SCHEDULER: 'off', LOG_LEVEL: 'info', GLASSBOX_ADMIN_KEY: '' },
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
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Streams a file to the model's NDJSON route; resolves with the rows accepted. */
function postFile(url: string, model: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/models/${model}/predictions`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { accepted: number }).accepted) : reject(new Error(`${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    createReadStream(file, { highWaterMark: 1 << 16 }).pipe(req);
  });
}

/**
 * One server per file, each fed its file over HTTP at once: rows accepted in all and seconds.
 * Each server is warmed first with `warm.file` into its own `warm.models[i]` (see warmRows),
 * then `warm.done` runs (the bench's CHECKPOINT) before the clock starts.
 */
export async function serversIngest(
  db: string,
  model: string,
  files: string[],
  warm: { file: string; models: string[]; done: () => Promise<unknown> },
): Promise<{ accepted: number; seconds: number }> {
  const servers: Server[] = [];
  try {
    for (const _ of files) servers.push(await startServer(db));
    await Promise.all(servers.map((s, i) => postFile(s.url, warm.models[i]!, warm.file)));
    await warm.done();
    const t = performance.now();
    const accepted = await Promise.all(files.map((f, i) => postFile(servers[i]!.url, model, f)));
    return { accepted: accepted.reduce((s, a) => s + a, 0), seconds: (performance.now() - t) / 1000 };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
