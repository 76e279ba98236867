// The import-cycle check CI runs (scripts/check-cycles.mjs): it finds cycles through values
// and through types, and src/ has none through values.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const check = (args: string[]) => spawnSync(process.execPath, ['scripts/check-cycles.mjs', ...args], { encoding: 'utf8', timeout: 30_000 });

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('check-cycles', () => {
  it('fails on a cycle through values, naming its files', () => {
    const dir = project({ 'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n", 'b.ts': "import { a } from './a.js';\nexport const b = () => a;\n" });
    const r = check([dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/import cycle among: .*a\.ts, .*b\.ts/);
  });

  it('warns on a cycle through types only, and fails on it with --strict', () => {
    const dir = project({ 'a.ts': "import type { B } from './b.js';\nexport type A = { b: B };\n", 'b.ts': "import { type A } from './a.js';\nexport type B = { a?: A };\n" });
    const r = check([dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: type-only import cycle among/);
    expect(check(['--strict', dir]).status).toBe(1);
  });

  it('passes on a tree', () => {
    const dir = project({ 'a.ts': "export * from './b.js';\n", 'b.ts': 'export const b = 1;\n' });
    expect(check([dir]).status).toBe(0);
  });

  it('src/ has no cycle through values', () => {
    const r = check(['src']);
    expect(r.stderr).not.toMatch(/^import cycle/m);
    expect(r.status).toBe(0);
  });
});
