// A held batch reads its rows back from the COPY text lines it wrote (held-batch.ts): what
// copyField escapes, copyFields must give back exactly, whatever a field holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyField, copyFields } from '../../src/store/postgres/copy-text.js';

const field = fc.oneof(
  fc.constant(null),
  fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', 'N', 't', 'n', 'r', 'a', '"', 'ø', '😀') }),
  fc.string({ unit: 'grapheme' }),
);

describe('copyFields', () => {
  it('gives back the fields copyField wrote, escapes and \\N included (property)', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 12 }), (fields) => {
        expect(copyFields(fields.map(copyField).join('\t'))).toEqual(fields);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads numbers as copyField writes them', () => {
    for (const v of [0, -1.5, 1e-300, 123456789.123, Number.MAX_VALUE]) expect(Number(copyFields(copyField(v))[0])).toBe(v);
  });
});
