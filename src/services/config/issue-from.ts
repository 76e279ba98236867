// A service's validation error as an issue of the file: the services name the field under
// the prefix we gave them (monitors[3].window), so their rules are never written twice.
import { AppError } from '../../errors.js';
import type { ConfigIssues } from '../../domain/config/issues.js';

/** Records a BAD_USER_INPUT from a validator at its field; anything else is rethrown. */
export function issueFrom(err: unknown, issues: ConfigIssues, fallbackPath: string): void {
  if (!(err instanceof AppError) || err.code !== 'BAD_USER_INPUT') throw err;
  const field = err.field ?? fallbackPath;
  const message = err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
  issues.add(field, message);
}
