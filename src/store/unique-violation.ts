// How every adapter reports a write that broke a unique key: an Error whose message starts
// `UNIQUE constraint failed: ` (better-sqlite3's own wording; the PostgreSQL adapter words
// SQLSTATE 23505 the same, src/store/postgres/unique.ts). On SQLite, services check a name
// and write it in one transaction, so only PostgreSQL, where another replica may insert the
// same name between the check and the write, ever reaches this.

/** True when `err` is a unique-key violation reported by a store adapter. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('UNIQUE constraint failed: ');
}
