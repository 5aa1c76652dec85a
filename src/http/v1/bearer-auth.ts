/**
 * Bearer authentication of `/v1` with per-user API keys, in two steps so failed attempts
 * can be rate-limited: `identify` (onRequest) verifies the key and remembers who called
 * or why not; the rate limiter then counts the request by key, or by client address when
 * there is no valid key; `require` (preHandler) turns a missing, malformed, unknown or
 * revoked key into a 401 `unauthorized` with `WWW-Authenticate: Bearer`. Routes read the
 * caller from here and never take a user id from the request itself.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyStore } from '../../api-keys/index.ts';
import { TidingsError } from '../../errors.ts';

export interface Caller {
  keyId: string;
  userId: string;
}

export interface BearerAuth {
  /** `onRequest`: verifies the key of a request, never rejects it. */
  identify(request: FastifyRequest): Promise<void>;
  /** `preHandler`: rejects a request `identify` found no valid key on. */
  require(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The verified caller of a request that passed `require`. */
  callerOf(request: FastifyRequest): Caller;
  /** The verified key id, if the request has one (rate limiting). */
  keyIdOf(request: FastifyRequest): string | undefined;
}

type Outcome = { ok: true; caller: Caller } | { ok: false; challenge: string; message: string };

const REALM = 'tidings';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? null;
}

const MISSING: Outcome = {
  ok: false,
  challenge: `Bearer realm="${REALM}"`,
  message:
    'Send an API key as "Authorization: Bearer <key>" (create one with: tidings api-keys create <user id>).',
};
const REFUSED: Outcome = {
  ok: false,
  challenge: `Bearer realm="${REALM}", error="invalid_token"`,
  message: 'The API key is unknown or has been revoked.',
};

export function createBearerAuth(apiKeys: ApiKeyStore): BearerAuth {
  const outcomes = new WeakMap<FastifyRequest, Outcome>();
  return {
    async identify(request) {
      const token = bearerToken(request.headers.authorization);
      if (token === null) {
        outcomes.set(request, MISSING);
        return;
      }
      const verified = await apiKeys.verify(token);
      outcomes.set(
        request,
        verified ? { ok: true, caller: { keyId: verified.id, userId: verified.userId } } : REFUSED,
      );
    },
    async require(request, reply) {
      const outcome = outcomes.get(request) ?? MISSING;
      if (outcome.ok) return;
      reply.header('www-authenticate', outcome.challenge);
      throw new TidingsError('unauthorized', outcome.message);
    },
    callerOf(request) {
      const outcome = outcomes.get(request);
      if (!outcome?.ok) throw new Error('route registered without the bearer hooks');
      return outcome.caller;
    },
    keyIdOf(request) {
      const outcome = outcomes.get(request);
      return outcome?.ok ? outcome.caller.keyId : undefined;
    },
  };
}
