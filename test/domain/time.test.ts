// Time units are defined once (src/domain/time.ts); no other source file spells them out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS, ceilTo, floorTo } from '../../src/domain/time.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LITERAL = /\b(3_?600_?000|86_?400_?000|604_?800_?000|60_?000|36e5|864e5)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? (name === 'generated' ? [] : sources(p)) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('time units', () => {
  it('are what they say', () => {
    expect([MINUTE_MS, HOUR_MS, DAY_MS, WEEK_MS]).toEqual([60_000, 3_600_000, 86_400_000, 604_800_000]);
    expect(floorTo(Date.UTC(2024, 0, 1, 5, 30), HOUR_MS)).toBe(Date.UTC(2024, 0, 1, 5));
    expect(ceilTo(Date.UTC(2024, 0, 1, 5, 30), HOUR_MS)).toBe(Date.UTC(2024, 0, 1, 6));
    expect(ceilTo(Date.UTC(2024, 0, 1, 5), HOUR_MS)).toBe(Date.UTC(2024, 0, 1, 5));
  });

  it('are spelled out only in src/domain/time.ts', () => {
    const offenders = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'bench'))]
      .filter((p) => !p.endsWith(join('domain', 'time.ts')))
      .flatMap((p) => readFileSync(p, 'utf8').split('\n').map((line, i) => [`${relative(ROOT, p)}:${i + 1}`, line] as const))
      .filter(([, line]) => LITERAL.test(line))
      .map(([where, line]) => `${where}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
