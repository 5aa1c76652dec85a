/**
 * `POST /google/risc`: the push receiver (RFC 8935) for Google's Cross-Account
 * Protection. The body is one security event token (`application/secevent+jwt`, also
 * `application/jwt`), at most 64 KB. Answers:
 * - 202 once the token is verified and applied (or was already, or is about someone
 *   Tidings does not know, or of a type it does not act on);
 * - 400 `{err, description}` with an RFC 8935 code when the token is not acceptable;
 *   413 and 415 (same body shape) for a body too large or of another type;
 * - 429 with `Retry-After` past the rate limit, per client address;
 * - 503 with `Retry-After` when the token cannot be verified or stored right now (the
 *   issuer's keys or the database out of reach): the sender keeps it and tries again.
 * Never a 500, and the token itself is never logged.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { handleSet, type HandleDeps } from './handle-set.ts';
import { createIssuerKeys } from './issuer-keys.ts';
import { SEEN_RETENTION_MS } from './seen-tokens.ts';
import { type SetErrorCode, verifySet } from './verify-set.ts';

export const RISC_PATH = '/google/risc';

const MAX_BODY_BYTES = 64 * 1024;
const RETRY_AFTER_SECONDS = 30;

export interface RiscReceiverDeps extends HandleDeps {
  /** Our OAuth client id: every token's `aud`. */
  clientId: string;
  /** Where the RISC discovery document lives (`GOOGLE_RISC_ISSUER`). */
  issuer: string;
  fetch: typeof fetch;
  /** Pushes per client address per window (default 300 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
}

function refuse(reply: FastifyReply, status: number, err: SetErrorCode, description: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ err, description });
}

function later(reply: FastifyReply, status: 429 | 503, description: string, seconds: number) {
  return reply
    .code(status)
    .header('retry-after', String(seconds))
    .header('cache-control', 'no-store')
    .send({ description });
}

export async function registerRiscReceiver(
  app: FastifyInstance,
  deps: RiscReceiverDeps,
): Promise<void> {
  const keys = createIssuerKeys({ issuer: deps.issuer, fetch: deps.fetch, now: deps.now });
  const verify = { keys, clientId: deps.clientId, now: deps.now, maxAgeMs: SEEN_RETENTION_MS };
  const limit = deps.rateLimit ?? { max: 300, timeWindowMs: 60_000 };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/secevent+jwt', 'application/jwt'],
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );
    await scope.register(rateLimit, {
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      hook: 'onRequest',
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
    });

    scope.setErrorHandler(
      (error: FastifyError & { retryAfterSeconds?: number }, request, reply) => {
        const status = error.statusCode ?? 500;
        if (status === 429) {
          return later(
            reply,
            429,
            'Too many security event tokens from this address.',
            error.retryAfterSeconds ?? 60,
          );
        }
        if (status === 413) {
          return refuse(reply, 413, 'invalid_request', 'The body is larger than 64 KB.');
        }
        if (status === 415) {
          return refuse(
            reply,
            415,
            'invalid_request',
            'Send the token as application/secevent+jwt.',
          );
        }
        if (status >= 400 && status < 500) {
          return refuse(reply, 400, 'invalid_request', 'The body is not one security event token.');
        }
        request.log.error({ err: error }, 'security event token not handled');
        return later(
          reply,
          503,
          'The token could not be handled; send it again later.',
          RETRY_AFTER_SECONDS,
        );
      },
    );

    scope.post(RISC_PATH, { bodyLimit: MAX_BODY_BYTES }, async (request, reply) => {
      const token = typeof request.body === 'string' ? request.body.trim() : '';
      if (token === '') {
        return refuse(reply, 400, 'invalid_request', 'The body must be one security event token.');
      }
      const checked = await verifySet(verify, token);
      if (checked.kind === 'unavailable') {
        deps.logger.warn(
          { reason: checked.reason },
          'security event token not verified: keys out of reach',
        );
        return later(
          reply,
          503,
          'The token cannot be verified right now; send it again later.',
          RETRY_AFTER_SECONDS,
        );
      }
      if (checked.kind === 'rejected') {
        deps.logger.warn(
          { err: checked.err, description: checked.description },
          'security event token refused',
        );
        return refuse(reply, 400, checked.err, checked.description);
      }
      let handled: Awaited<ReturnType<typeof handleSet>>;
      try {
        handled = await handleSet(deps, checked.claims);
      } catch (error) {
        deps.logger.error(
          { jti: checked.claims.jti, err: (error as Error).message },
          'security event token not stored; the sender will try again',
        );
        return later(
          reply,
          503,
          'The token could not be stored; send it again later.',
          RETRY_AFTER_SECONDS,
        );
      }
      if (handled.kind === 'rejected') {
        deps.logger.warn(
          { jti: checked.claims.jti, description: handled.description },
          'security event token refused',
        );
        return refuse(reply, 400, 'invalid_request', handled.description);
      }
      if (handled.duplicate)
        deps.logger.info({ jti: checked.claims.jti }, 'security event token received again');
      return reply.code(202).header('cache-control', 'no-store').send();
    });
  });
}
