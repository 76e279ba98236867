// A unique violation (SQLSTATE 23505) as the SQLite adapter reports one: an Error naming the
// constraint, with pg's error as its cause. The statement aborted the enclosing transaction.

function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  // drizzle wraps the driver's error (DrizzleQueryError) with it as cause
  for (let i = 0; i < 3 && e instanceof Error; i++, e = e.cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

/** Runs the statement; a unique violation becomes `UNIQUE constraint failed: <what>`. */
export async function uniquely<T>(what: string, statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (err) {
    if (isUniqueViolation(err)) throw new Error(`UNIQUE constraint failed: ${what}`, { cause: err });
    throw err;
  }
}
