// Checks on client text that every door shares: bounded length, well-formed Unicode, no
// NUL (PostgreSQL text cannot hold U+0000, so neither store takes it), bounded nesting, and a short preview for error messages (never the whole input).

/** Characters of bad input an error message may quote. */
export const PREVIEW_CHARS = 40;

/** Deepest nesting of a JSON value inside an ingested line or item (the line itself is level 1). */
export const MAX_VALUE_DEPTH = 32;

/**
 * Position of the first unpaired UTF-16 surrogate, or -1. Such a string has no UTF-8
 * form: SQLite and every JSON encoder store it as U+FFFD, so it would not read back as
 * sent (an id would never match itself again).
 */
export function loneSurrogateAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** Why a string holding U+0000 is refused: PostgreSQL text and jsonb cannot store it. */
export const NUL_PROBLEM = 'contains a NUL character (U+0000), which cannot be stored';

/** Why `s` is not acceptable text of at most `max` characters, or null. */
export function textProblem(s: string, max: number): string | null {
  if (s.length > max) return `must be at most ${max} characters, got ${s.length}`;
  const at = loneSurrogateAt(s);
  if (at >= 0) return `is not valid Unicode: an unpaired surrogate (U+${s.charCodeAt(at).toString(16).toUpperCase()}) at position ${at}`;
  if (s.includes('\0')) return NUL_PROBLEM;
  return null;
}

/**
 * The path (`features.x`, `features.x.y`, `features`) of the first key or string value of
 * `v` holding U+0000, or null. `text`, the JSON `v` was parsed from, skips the walk when it
 * has no `\u0000` escape (JSON cannot carry a raw NUL), so NDJSON lines pay one scan.
 */
export function nulPathIn(v: unknown, path: string, text: string | null = null): string | null {
  if (text !== null && !text.includes('\\u0000')) return null;
  if (typeof v === 'string') return v.includes('\0') ? path : null;
  if (typeof v !== 'object' || v === null) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nulPathIn(v[i], `${path}[${i}]`);
      if (p !== null) return p;
    }
    return null;
  }
  for (const k in v) {
    if (k.includes('\0')) return path;
    const p = nulPathIn((v as Record<string, unknown>)[k], `${path}.${k.length <= PREVIEW_CHARS ? k : preview(k)}`);
    if (p !== null) return p;
  }
  return null;
}

/** A string for an error message: its first PREVIEW_CHARS characters, JSON-quoted, with its length when cut. */
export function preview(s: string): string {
  if (s.length <= PREVIEW_CHARS) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, PREVIEW_CHARS))}... (${s.length} characters)`;
}

/**
 * True when `v` nests objects or arrays more than `levels` deep (a scalar is 0 levels,
 * `[1]` is 1). Stops descending at the limit, so its own stack is bounded.
 */
export function nestedDeeperThan(v: unknown, levels: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (levels <= 0) return true;
  // scalars are tested inline: this runs on every ingested line
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i];
      if (typeof c === 'object' && c !== null && nestedDeeperThan(c, levels - 1)) return true;
    }
    return false;
  }
  for (const k in v) {
    const c = (v as Record<string, unknown>)[k];
    if (typeof c === 'object' && c !== null && nestedDeeperThan(c, levels - 1)) return true;
  }
  return false;
}
