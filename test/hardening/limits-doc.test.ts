// docs/limits.md states the limits the code enforces: each constant's row carries its value.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as L from '../../src/domain/input/limits.js';
import { MAX_VALUE_DEPTH } from '../../src/domain/input/text.js';
import { MAX_EVENT_ID, MAX_LABEL } from '../../src/domain/ingest/validate.js';
import { MAX_DOCUMENT_NESTING } from '../../src/graphql/query-guard.js';
import { MAX_TOKENS } from '../../src/graphql/server.js';
import { MAX_LINE_CHARS, MAX_LISTED_ERRORS } from '../../src/services/ingest.js';

const doc = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');

describe('docs/limits.md', () => {
  const constants: Record<string, number> = { ...L, MAX_VALUE_DEPTH, MAX_EVENT_ID, MAX_LABEL, MAX_DOCUMENT_NESTING, MAX_TOKENS, MAX_LISTED_ERRORS, MAX_LINE_CHARS };
  it.each(Object.entries(constants))('states %s = %d', (name, value) => {
    const row = doc.split('\n').find((l) => l.includes(`\`${name}\``));
    expect(row, `a line of docs/limits.md names ${name}`).toBeDefined();
    expect(row).toMatch(new RegExp(`\\b${value}\\b`));
  });
});
