// Telling a PostgreSQL GLASSBOX_DB from a SQLite path, without loading pg.

/** Whether GLASSBOX_DB names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The URL with its password masked (user, host and database stay: they say where it went). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
