/**
 * Bearer authentication of `/v1` with per-user API keys. The hook verifies the key and
 * remembers who called for the rest of the request; routes read the caller from here and
 * never take a user id from the request itself. A missing, malformed, unknown or revoked
 * key is a 401 `unauthorized` with `WWW-Authenticate: Bearer`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyStore } from '../../api-keys/index.ts';
import { TidingsError } from '../../errors.ts';

export interface Caller {
  keyId: string;
  userId: string;
}

export interface BearerAuth {
  /** An `onRequest` hook for every protected route. */
  hook(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The verified caller of a request that passed the hook. */
  callerOf(request: FastifyRequest): Caller;
  /** The verified key id, if the request has one (rate limiting). */
  keyIdOf(request: FastifyRequest): string | undefined;
}

const REALM = 'tidings';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? null;
}

export function createBearerAuth(apiKeys: ApiKeyStore): BearerAuth {
  const callers = new WeakMap<FastifyRequest, Caller>();
  return {
    async hook(request, reply) {
      const token = bearerToken(request.headers.authorization);
      if (token === null) {
        reply.header('www-authenticate', `Bearer realm="${REALM}"`);
        throw new TidingsError(
          'unauthorized',
          'Send an API key as "Authorization: Bearer <key>" (create one with: tidings api-keys create <user id>).',
        );
      }
      const verified = await apiKeys.verify(token);
      if (!verified) {
        reply.header('www-authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
        throw new TidingsError('unauthorized', 'The API key is unknown or has been revoked.');
      }
      callers.set(request, { keyId: verified.id, userId: verified.userId });
    },
    callerOf(request) {
      const caller = callers.get(request);
      if (!caller) throw new Error('route registered without the bearer hook');
      return caller;
    },
    keyIdOf(request) {
      return callers.get(request)?.keyId;
    },
  };
}
