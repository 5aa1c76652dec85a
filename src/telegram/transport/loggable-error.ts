/**
 * What of a Telegram-side error goes into a log line. grammY wraps a failing update as
 * `BotError(error, ctx)` — the context holds the bot token, the user's message and the
 * reply — and its Bot API errors carry the request payload (the reply, which may quote
 * mail). So a `BotError` is unwrapped, a Bot API error becomes its method, error code and
 * description, a network error its method and cause; nothing else of them is kept. Other
 * errors go to the logger, which keeps only their type, message, stack and codes.
 */
import { BotError, GrammyError, HttpError } from 'grammy';

export function loggableError(error: unknown): unknown {
  const inner = error instanceof BotError ? (error.error as unknown) : error;
  if (inner instanceof GrammyError) {
    return {
      type: 'GrammyError',
      method: inner.method,
      error_code: inner.error_code,
      description: inner.description,
      ...(typeof inner.parameters?.retry_after === 'number'
        ? { retry_after: inner.parameters.retry_after }
        : {}),
    };
  }
  if (inner instanceof HttpError) {
    const cause = inner.error;
    return {
      type: 'HttpError',
      message: inner.message,
      ...(cause instanceof Error ? { cause: { type: cause.name, message: cause.message } } : {}),
    };
  }
  return inner;
}
