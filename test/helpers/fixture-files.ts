// Where the metric fixtures live (test/fixtures/, see its README), and how to read them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const FIXTURE_NAMES = ['seattle-weather', 'penguins'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** A fixture file's text. */
export function fixtureText(name: string, file: string): string {
  return readFileSync(join(FIXTURES_DIR, name, file), 'utf8');
}

/** A fixture's NDJSON file as objects, one a non-blank line. */
export function fixtureLines<T = any>(name: string, file: string): T[] {
  return fixtureText(name, file)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** A fixture's JSON file. */
export function fixtureJson<T = any>(name: string, file: string): T {
  return JSON.parse(fixtureText(name, file)) as T;
}
