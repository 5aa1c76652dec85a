/**
 * API-key guard shared by `/v1` and `/mcp`: bearer authentication in two steps (identify
 * on request, require before the handler) around a per-key rate limit, with a stricter
 * limit per client address for requests without a valid key, so failed attempts are
 * limited too. Registered inside an encapsulated scope; applies to every route of it.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyStore } from '../../api-keys/index.ts';
import { type BearerAuth, createBearerAuth } from './bearer-auth.ts';

export interface RateLimitSettings {
  /** Requests per key per window. */
  max: number;
  timeWindowMs: number;
  /** Requests without a valid key per client address per window. */
  failedAuthMax?: number;
}

export const DEFAULT_RATE_LIMIT = { max: 120, timeWindowMs: 60_000, failedAuthMax: 30 } as const;

/** The 429 the limiter throws; the server's error handler answers it as `rate_limited`. */
export class RateLimited extends Error {
  readonly statusCode = 429;
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'RateLimited';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ApiKeyGuard {
  auth: BearerAuth;
  /** Route options that authenticate (and, through the scope's limiter, rate-limit). */
  guarded: {
    onRequest: (request: FastifyRequest) => Promise<void>;
    preHandler: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  };
}

export async function registerApiKeyGuard(
  scope: FastifyInstance,
  apiKeys: ApiKeyStore,
  limit: RateLimitSettings = DEFAULT_RATE_LIMIT,
): Promise<ApiKeyGuard> {
  const auth = createBearerAuth(apiKeys);
  const failedAuthMax = limit.failedAuthMax ?? DEFAULT_RATE_LIMIT.failedAuthMax;
  await scope.register(rateLimit, {
    global: true,
    max: (_request, key) => (key.startsWith('key:') ? limit.max : failedAuthMax),
    timeWindow: limit.timeWindowMs,
    // Runs after `auth.identify` (both onRequest; the limiter's hook is added last) and
    // before `auth.require`, so a request with a valid key counts against that key, and
    // one without counts against its address: failed attempts are limited too.
    hook: 'onRequest',
    keyGenerator: (request) => {
      const keyId = auth.keyIdOf(request);
      return keyId ? `key:${keyId}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (request, context) =>
      new RateLimited(
        auth.keyIdOf(request)
          ? 'Slow down: too many requests with this key.'
          : 'Slow down: too many requests without a valid key from this address.',
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  });
  scope.addHook('onSend', async (request, reply) => {
    if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
  });
  return { auth, guarded: { onRequest: auth.identify, preHandler: auth.require } };
}
