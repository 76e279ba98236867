// examples/credit-risk.yaml applies to the demo's database: it names the demo's model,
// versions and segment as they are, edits its monitors in place (their history kept) and
// adds what it adds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { applyFile, type Io } from '../../src/cli/config.js';
import { silentLogger } from '../../src/log.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase } from '../helpers/test-store.js';

const NOW = Date.parse('2024-05-20T10:00:00Z');
let s: TestServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-example-'));
  const database = await createTestDatabase(dir);
  await runDemo({ dbPath: database.db, reset: false, out: new PassThrough(), now: NOW, progress: false, log: silentLogger() });
  s = await startTestServer({ dir, database, ownsDatabase: true, now: NOW });
}, 120_000);
afterAll(async () => {
  await s.stop(true);
});

function capture(): Io & { text: () => string } {
  let out = '';
  return { out: (t) => (out += t), err: (t) => (out += t), text: () => out };
}

const env = () => ({ GLASSBOX_URL: s.url, ONCALL_WEBHOOK_URL: 'https://hooks.example.com/glassbox', ONCALL_SECRET: 'change-me-please' });
const monitors = async () => (await s.gql(`{ monitors(model: "credit-risk") { id name evaluations(limit: 1000) { at } } }`)).data.monitors as Array<{ id: string; name: string; evaluations: unknown[] }>;

describe('examples/credit-risk.yaml on the demo', () => {
  it('applies: channels added, the demo monitors edited in place, two monitors added (one narrowed to the demo\'s segment)', async () => {
    const before = await monitors();
    expect(before.length).toBe(6);
    const io = capture();
    await applyFile(env(), io, 'examples/credit-risk.yaml', {});
    expect(io.text()).toBe(
      [
        '+ channel ml-oncall',
        '+ channel oncall-webhook',
        '~ monitor credit-risk/daily applications (weekly band)  channels: [] -> [ml-oncall]',
        '~ monitor credit-risk/employment_years missing  channels: [] -> [ml-oncall]',
        '~ monitor credit-risk/four-fifths rule by gender  channels: [] -> [ml-oncall]',
        '~ monitor credit-risk/income drift  channels: [] -> [ml-oncall]',
        '+ monitor credit-risk/income drift (EU)',
        '~ monitor credit-risk/ranking quality (AUC)  forEvaluations: 1 -> 2; channels: [] -> [ml-oncall, oncall-webhook]',
        '~ monitor credit-risk/ranking quality, estimated (no labels)  channels: [] -> [ml-oncall]',
        '+ monitor credit-risk/traffic',
        '',
        'Applied: 4 to create, 6 to update, 0 to delete.',
        '',
      ].join('\n'),
    );
    const after = await monitors();
    for (const m of before) {
      const same = after.find((a) => a.name === m.name)!;
      expect(same.id).toBe(m.id);
      expect(same.evaluations.length).toBe(m.evaluations.length);
    }
    expect((await s.gql(`{ monitors(model: "delivery-eta") { name } }`)).data.monitors).toHaveLength(2);
  });

  it('applies again without a change', async () => {
    const io = capture();
    await applyFile(env(), io, 'examples/credit-risk.yaml', { prune: true });
    expect(io.text()).toBe('No changes: 0 to create, 0 to update, 0 to delete.\n');
  });
});
