// Rows to PostgreSQL's COPY text format: tab-separated, \N for null, backslash escapes.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of a COPY text line. */
export function copyField(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return SPECIAL.test(v) ? v.replace(SPECIALS, (c) => ESCAPES[c] ?? c) : v;
}

/** Sends `text` (whole COPY text lines) with `COPY <target> FROM STDIN` on this client. */
export async function copyIn(client: pg.PoolClient | pg.Client, target: string, text: string): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
}
