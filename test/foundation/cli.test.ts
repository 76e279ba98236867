// The glassbox command a newcomer meets first: --version, serve --help with every
// environment variable (from config.ts's one table), and configuration errors that never
// print a secret.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, VALIDATED_VARS, loadConfig } from '../../src/config.js';

const glassbox = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { ...process.env, GLASSBOX_DB: ':memory:', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

describe('the glassbox command', () => {
  it('--version prints the package version', () => {
    const r = glassbox(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('serve --help lists every environment variable the server reads', () => {
    expect([...ENV_VARS.map((v) => v.name)].sort()).toEqual([...VALIDATED_VARS].sort());
    const r = glassbox(['serve', '--help']);
    expect(r.status).toBe(0);
    for (const v of ENV_VARS) expect(r.stdout).toMatch(new RegExp(`^  ${v.name} +\\S`, 'm'));
  });

  it("the README's Configuration table is the same list", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Authentication'));
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(ENV_VARS.map((v) => v.name));
  });

  it.each(['GLASSBOX_ADMIN_KEY', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'])('a rejected %s is named, never printed', (name) => {
    const secret = name === 'GLASSBOX_ADMIN_KEY' ? 'short-S3cr3t' : '';
    if (secret) {
      const r = glassbox(['serve'], { [name]: secret, PORT: '0' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${name} (12 characters, not shown): must be at least 16 characters`);
      expect(r.stderr).not.toContain('S3cr3t');
    }
    // every secret variable, whatever the rule it breaks, is shown by its length only
    const value = 'x'.repeat(3) + 'S3cr3t';
    let message = '';
    try {
      loadConfig({ [name]: value, PORT: 'abc', GLASSBOX_ADMIN_KEY: name === 'GLASSBOX_ADMIN_KEY' ? value : undefined });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('PORT="abc"');
    expect(message).not.toContain('S3cr3t');
  });
});
