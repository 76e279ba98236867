// A name taken by a concurrent writer (another replica on PostgreSQL) between a service's
// check and its write is the same CONFLICT as one taken before the check, never a 500.
import { conflict } from '../errors.js';
import { isUniqueViolation } from '../store/unique-violation.js';

/** Runs the write; a unique violation becomes CONFLICT(message, field). Other errors pass. */
export async function uniqueName<T>(write: () => Promise<T>, message: string, field: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(message, field);
    throw err;
  }
}
