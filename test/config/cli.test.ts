// The CLI as CI runs it, as a process: `glassbox test` (no server), `glassbox apply` and
// `glassbox export` against a real server, exit status included. Uses dist/main.js when
// it is newer than every source (npm run build), else the sources through tsx.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { baseConfig, exported } from './support.js';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function glassbox(): string[] {
  const built = 'dist/main.js';
  return existsSync(built) && statSync(built).mtimeMs >= newest('src') ? [built] : ['--import', 'tsx', 'src/main.ts'];
}

/** Runs the CLI without blocking this process (the test server answers it). */
function run(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...glassbox(), ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    p.stdin.end(stdin);
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'glassbox-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('glassbox test', () => {
  it('passes the shipped example and exits 0', async () => {
    const r = await run(['test', 'examples/credit-risk.test.yaml']);
    expect(r.err).toBe('');
    expect(r.out).toContain('4 tests, 15 expectations, 0 failed');
    expect(r.code).toBe(0);
  });

  it('prints each failing expectation and exits 1', async () => {
    const p = file(
      'failing.test.yaml',
      `tests:
  - name: recovers at noon
    monitor: { comparator: GT, warningThreshold: 0.1, criticalThreshold: 0.3 }
    evaluations:
      - { at: "00:00", value: 0.2 }
      - { at: "12:00", value: 0.05 }
    expect:
      - { at: "00:00", alert: FIRING, severity: CRITICAL, notified: [alert.escalated] }
      - { at: "12:00", alert: FIRING }
  - name: holds
    monitor: { comparator: GT, warningThreshold: 0.1 }
    evaluations: [{ at: "00:00", value: 0.2 }]
    expect: [{ at: "00:00", alert: FIRING }]
`,
    );
    const r = await run(['test', p]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('  FAIL  recovers at noon\n');
    expect(r.err).toContain('expected CRITICAL at 00:00, got WARNING');
    expect(r.err).toContain('expected notifications [alert.escalated] at 00:00, got [alert.firing]');
    expect(r.err).toContain('expected FIRING at 12:00, got RESOLVED');
    expect(r.err).toContain('  ok    holds\n');
    expect(r.err).toContain('2 tests, 3 expectations, 1 failed');
  });

  it('a broken test file names each problem and exits 1', async () => {
    const p = file(
      'broken.test.yaml',
      `config: missing.yaml
tests:
  - name: x
    monitor: { comparator: ABOVE, warningThreshold: 1 }
    expect: [{ at: "25:00", alert: FIRING }]
  - name: y
    monitor: { comparator: GT, warningThreshold: 1 }
    evaluations: [{ at: "noon", value: 1 }]
    expect: [{ at: "01:00", alert: BURNING }]
`,
    );
    const r = await run(['test', p]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no test ran');
    expect(r.err).toMatch(/config: cannot read missing\.yaml/);
    expect(r.err).toContain('tests[0].monitor.comparator: must be GT, GTE, LT or LTE');
    expect(r.err).toContain('tests[1].evaluations[0].at: "noon" is not a time');
    expect(r.err).toContain('tests[1].expect[0].alert: must be one of NONE, FIRING, ACKNOWLEDGED, SNOOZED, RESOLVED');
  });
});

describe('glassbox apply and export', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop(true);
  });

  const withRefs = baseConfig().replace(/webhookUrl: "[^"]*"/, 'webhookUrl: "${HOOK_URL}"').replace(/webhookSecret: "[^"]*"/, 'webhookSecret: "${HOOK_SECRET}"');
  const env = () => ({ GLASSBOX_URL: s.url, HOOK_URL: 'https://hooks.example.com/x', HOOK_SECRET: 'a-long-secret' });

  it('a missing variable is named, and nothing is sent', async () => {
    const p = file('refs.yaml', withRefs);
    const r = await run(['apply', '-f', p], { GLASSBOX_URL: s.url, HOOK_URL: 'https://hooks.example.com/x' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('channels[0].webhookSecret: environment variable HOOK_SECRET is not set');
    expect((await s.gql(`{ models { name } }`)).data.models).toEqual([]);
  });

  it('--dry-run prints the plan; apply applies it; again, nothing', async () => {
    const p = file('refs.yaml', withRefs);
    const dry = await run(['apply', '-f', p, '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(
      '+ model credit-risk\n+ channel ml-team\n+ channel oncall\n+ monitor credit-risk/income-psi\n+ monitor credit-risk/traffic\n\nPlan: 5 to create, 0 to update, 0 to delete (dry run: nothing changed).\n',
    );
    const real = await run(['apply', '-f', p], env());
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/Applied: 5 to create, 0 to update, 0 to delete\.\n$/);
    const again = await run(['apply', '-f', p], env());
    expect(again.out).toBe('No changes: 0 to create, 0 to update, 0 to delete.\n');
    const piped = await run(['apply', '-f', '-'], env(), withRefs);
    expect(piped.out).toBe('No changes: 0 to create, 0 to update, 0 to delete.\n');
  });

  it('a rejected file exits 1 with every problem', async () => {
    const p = file('bad.yaml', withRefs.replace('window: 24h', 'window: 7x').replace('criticalThreshold: 10', 'criticalThreshold: 90'));
    const r = await run(['apply', '-f', p], env());
    expect(r.code).toBe(1);
    expect(r.err).toContain('the configuration has 2 errors; nothing was changed\n');
    expect(r.err).toContain('  monitors[0].window: "7x" is not a duration');
    expect(r.err).toContain('  monitors[1].warningThreshold: with LT the warning (50) must be above the critical threshold (90)');
  });

  it('export prints what the server holds; errors exit 1', async () => {
    const r = await run(['export', '--model', 'credit-risk'], env());
    expect(r.code).toBe(0);
    expect(r.out).toBe(await exported(s, ['credit-risk']));
    const bad = await run(['export', '--model', 'nope'], env());
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('models[0]: no model named "nope"');
    const down = await run(['export'], { GLASSBOX_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach the server at http://127.0.0.1:9');
  });
});
