/**
 * What of an error goes into a log line. Bot API errors carry the request payload (the
 * text of a reply, which may quote mail), so only their method, code and description are
 * kept; other errors are logged as they are.
 */
import { GrammyError } from 'grammy';

export function loggableError(error: unknown): unknown {
  if (error instanceof GrammyError) {
    return {
      type: 'GrammyError',
      method: error.method,
      code: error.error_code,
      description: error.description,
    };
  }
  return error;
}
