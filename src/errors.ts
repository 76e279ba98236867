// One closed error vocabulary (ARCHITECTURE rule 5). Services throw AppError; each
// transport maps it once: GraphQL extensions.code, HTTP status, Slack ephemeral text.

export type ErrorCode =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL_SERVER_ERROR';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** the input field at fault, for BAD_USER_INPUT (e.g. "input.features[2].name") */
    readonly field?: string,
    /** more members of the REST error object (e.g. what an ingest kept before it failed) */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', `${field}: ${message}`, field);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, field?: string) => new AppError('CONFLICT', message, field);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);
export const notImplemented = (what: string) =>
  new AppError('NOT_IMPLEMENTED', `${what} is not implemented yet in this version of Glassbox`);

const HTTP_STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_IMPLEMENTED: 501,
  INTERNAL_SERVER_ERROR: 500,
};

/** HTTP status for an error code, for the REST routes. */
export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** Anything thrown, as an AppError; unknown causes become a bland internal error. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('INTERNAL_SERVER_ERROR', 'internal error (see the server log)');
}
