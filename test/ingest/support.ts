// Shared bits of the ingest tests: fixture models, NDJSON posts with a key, counting rows.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { TestServer } from '../helpers/server.js';
import { FIXTURES_DIR as FIXTURES } from '../helpers/fixture-files.js';
import { ROOT } from '../helpers/server-process.js';
import { storedRows } from '../helpers/stored-rows.js';

export const ADMIN_KEY = 'ingest-test-admin-key-0123456789';

/** A fixture file's text. */
export function fixture(name: string, file: string): string {
  return readFileSync(join(FIXTURES, name, file), 'utf8');
}

/** Creates a model as the fixture declares it, under `name`. */
export async function createFixtureModel(s: TestServer, fixtureName: string, name: string): Promise<void> {
  const input = { ...JSON.parse(fixture(fixtureName, 'model.json')), name };
  const r = await s.gql(`mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, { input }, ADMIN_KEY);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

/** A small binary model with two features. */
export async function createModel(s: TestServer, name: string, task = 'BINARY_CLASSIFICATION'): Promise<void> {
  const input = {
    name,
    task,
    ...(task === 'BINARY_CLASSIFICATION' ? { positiveClass: 'yes' } : {}),
    features: [
      { name: 'x', type: 'NUMERIC' },
      { name: 'c', type: 'CATEGORICAL' },
    ],
  };
  const r = await s.gql(`mutation($input: CreateModelInput!) { createModel(input: $input) { name } }`, { input }, ADMIN_KEY);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

/** POSTs an NDJSON body to /v1/models/{model}/{kind}. */
export function postNdjson(s: TestServer, model: string, kind: string, body: string | Buffer, key = ADMIN_KEY) {
  return s.post(`/v1/models/${model}/${kind}`, body, { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` });
}

/** One prediction line for the small model. */
export function prediction(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: `ev-${i}`,
    timestamp: new Date(Date.UTC(2024, 4, 6) + i * 1000).toISOString(),
    features: { x: i % 97, c: `k${i % 5}` },
    score: (i % 100) / 100,
    ...extra,
  };
}

export const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Rows of a model's events as stored (no API lists raw events). */
export function storedEvents(s: TestServer, model: string): Promise<Array<{ event_id: string; actual_label: string | null; features: string; score: number | null }>> {
  return storedRows(s.deps.store, 'SELECT e.event_id, e.actual_label, e.features, e.score FROM events e JOIN models m ON m.id = e.model_id WHERE m.name = ? ORDER BY e.id', model);
}

const run = promisify(execFile);

/** Runs `glassbox ingest ARGS` as its own process on `dbPath`; never throws on a non-zero exit. */
export async function ingestCli(dbPath: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'ingest', ...args], {
      cwd: ROOT,
      env: { ...process.env, GLASSBOX_DB: dbPath, LOG_LEVEL: 'silent' },
    });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
