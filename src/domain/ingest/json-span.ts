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

/** Index just past the string that starts at `i` (an opening quote). */
function skipString(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

/** Index just past the JSON value that starts at `i`. */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === QUOTE) {
        i = skipString(s, i) - 1;
        if (i < 0) return -1;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
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
    // an escaped key may spell `key` in a way a plain comparison misses: give up
    if (json.lastIndexOf('\\', keyEnd - 2) > i) return null;
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
