// What the NDJSON paths (in-thread and parser thread) say about bytes and lines they
// cannot read, in one place so both answer alike.
import type { IngestError } from '../domain/ingest/validate.js';

/** Why a body's first bytes are not NDJSON text (compressed, or binary), or null. */
export function notNdjson(chunk: Uint8Array): string | null {
  if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) return 'is gzip-compressed: send it with Content-Encoding: gzip';
  const nul = chunk.indexOf(0);
  return nul >= 0 ? `is not NDJSON text: it holds a NUL byte at offset ${nul}` : null;
}

/** The rejection of a line that is too long (no error) or not JSON. */
export function rejectUnreadable(index: number, maxLineChars: number, parseError?: Error): IngestError {
  if (!parseError) return { index, eventId: null, message: `line: longer than ${maxLineChars} characters` };
  const why = parseError.message;
  return { index, eventId: null, message: `line: not valid JSON (${why.length > 120 ? `${why.slice(0, 117)}...` : why})` };
}
