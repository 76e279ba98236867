// The acceptance check of issue 4: a real server, each fixture loaded through the API and
// checked by ../shared/tools/check-metrics.mjs ("0 failed" for both).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

describe('fixtures through the running server (check-metrics)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop(true);
  });

  it.each(['seattle-weather', 'penguins'])('%s: 0 failed', async (fixture) => {
    const { stdout } = await run(process.execPath, [`${SHARED}tools/check-metrics.mjs`, `${SHARED}fixtures/${fixture}`, '--url', server.gqlUrl], {
      timeout: 60_000,
    }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`check-metrics ${fixture} failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
    });
    expect(stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });
});
