// Finds where a top-level member's value sits in a JSON object text, so that the
// features of an NDJSON line are stored exactly as they came without JSON.stringify
// (re-serialising 22 features costs more than scanning the line once).

const QUOTE = 34;
const BACKSLASH = 92;

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

/** Index just past the string that starts at `i` (an opening quote). indexOf jumps over its text. */
function skipString(s: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let b = q - 1;
    while (s.charCodeAt(b) === BACKSLASH) b--;
    // an even number of backslashes before the quote: it closes the string
    if ((q - 1 - b) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** The characters that matter inside an object or array; `test` finds the next without allocating. */
const STRUCTURAL = /[{}[\]"]/g;

/**
 * An object with no object or array inside it (strings aside), matched in one sticky test:
 * the usual features line. Runs of other characters, then strings written as the unrolled
 * loop `"[^"\\]*(?:\\.[^"\\]*)*"`: every character has one way to match, so a line that does
 * not fit (a nested value) fails in linear time and takes the walk below. 0.45 µs against
 * the walk's 1.2 µs for a bench line of 22 features (scratch measurement, 2026-12-06).
 */
const FLAT_OBJECT = /\{[^{}[\]"]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^{}[\]"]*)*\}/y;

/** Index just past the JSON value that starts at `i`. */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === 123) {
    FLAT_OBJECT.lastIndex = i;
    if (FLAT_OBJECT.test(s)) return FLAT_OBJECT.lastIndex;
  }
  if (c === 123 || c === 91) {
    let depth = 0;
    STRUCTURAL.lastIndex = i;
    while (STRUCTURAL.test(s)) {
      const p = STRUCTURAL.lastIndex - 1;
      const d = s.charCodeAt(p);
      if (d === QUOTE) {
        const end = skipString(s, p);
        if (end < 0) return -1;
        STRUCTURAL.lastIndex = end;
      } else if (d === 123 || d === 91) depth++;
      else if (--depth === 0) return p + 1;
    }
    return -1;
  }
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 9 || d === 10 || d === 13) return i;
  }
  return i;
}

/**
 * The text of the value of top-level member `key` in `json`, which must be valid JSON
 * (call after JSON.parse accepted it); the last occurrence wins, as with JSON.parse.
 * Null when the member is absent or its key is written with escapes.
 */
export function topLevelMember(json: string, key: string): string | null {
  let i = skipWs(json, 0);
  if (json.charCodeAt(i) !== 123) return null;
  i = skipWs(json, i + 1);
  let found: string | null = null;
  while (i < json.length && json.charCodeAt(i) === QUOTE) {
    const keyEnd = skipString(json, i);
    if (keyEnd < 0) return null;
    // an escaped key may spell `key` in a way a plain comparison misses: give up (looking at
    // the key's own characters: a lastIndexOf from its end scanned all the line before it,
    // 1.6 -> 1.2 µs a bench line of 22 features)
    for (let k = i + 1; k < keyEnd - 1; k++) if (json.charCodeAt(k) === BACKSLASH) return null;
    const isKey = keyEnd - i - 2 === key.length && json.startsWith(key, i + 1);
    i = skipWs(json, keyEnd);
    if (json.charCodeAt(i) !== 58) return null;
    i = skipWs(json, i + 1);
    const end = skipValue(json, i);
    if (end < 0) return null;
    if (isKey) found = json.slice(i, end);
    i = skipWs(json, end);
    if (json.charCodeAt(i) !== 44) break;
    i = skipWs(json, i + 1);
  }
  return found;
}
