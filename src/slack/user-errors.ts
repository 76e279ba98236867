// What a Slack user sees when something fails: the AppError's message, never an internal
// cause (that is logged with the context it happened in).
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { errorMessage } from './blocks/help.js';
import type { SlackMessage } from './blocks/kit.js';

/** The message to show for `err`; logs anything that is not an AppError. */
export function userFacingError(err: unknown, log: Logger, where: Record<string, unknown>): SlackMessage {
  if (err instanceof AppError) return errorMessage(err.message);
  log.error({ err, ...where }, 'slack: request failed');
  return errorMessage('something went wrong on the Glassbox server (see its log); please try again');
}
