/**
 * The runtime API under `/v1`: per-user API keys (Bearer), the capability routes, the
 * key's connections and connect links, a per-key rate limit (and a stricter one per client
 * address for requests without a valid key), the OpenAPI document and its docs page.
 * Routes reach users and connections only through the `FrontDoor`, always with the user
 * id of the verified key. Every route refuses query parameters it does not know.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore } from '../../api-keys/index.ts';
import type { FrontDoor } from '../../front-door/index.ts';
import { createBearerAuth } from './bearer-auth.ts';
import { CAPABILITY_ROUTES } from './capability-routes.ts';
import { renderDocsPage } from './docs-page.ts';
import { jsonSchemaOf } from './openapi-components.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { bindInput, checkInput, refuseQuery, renameFieldOf } from './query-input.ts';
import { connectionJson, connectLinkJson, ConnectLinkRequestSchema } from './resource-views.ts';

export interface RuntimeApiDeps {
  frontDoor: FrontDoor;
  apiKeys: ApiKeyStore;
  /**
   * Requests per key per window (default 120 per minute), and requests without a valid
   * key per client address per window (default 30).
   */
  rateLimit?: { max: number; timeWindowMs: number; failedAuthMax?: number };
}

const NO_PARAMETERS = { query: {}, params: {} } as const;

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

export { buildOpenApiDocument } from './openapi.ts';
export type { OpenApiDocument } from './openapi.ts';
export { CAPABILITY_ROUTES } from './capability-routes.ts';

/** Registers the runtime API as a Fastify plugin under the prefix `/v1`. */
export async function registerRuntimeApi(
  app: FastifyInstance,
  deps: RuntimeApiDeps,
): Promise<void> {
  await app.register(async (scope) => runtimeApi(scope, deps), { prefix: '/v1' });
}

async function runtimeApi(scope: FastifyInstance, deps: RuntimeApiDeps): Promise<void> {
  const { frontDoor } = deps;
  const limit = deps.rateLimit ?? DEFAULT_RATE_LIMIT;
  const auth = createBearerAuth(deps.apiKeys);
  const document = buildOpenApiDocument();
  const docsPage = renderDocsPage(document);

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

  const guarded = { onRequest: auth.identify, preHandler: auth.require };

  scope.addHook('onSend', async (request, reply) => {
    if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
  });

  for (const route of CAPABILITY_ROUTES) {
    const { capability } = route;
    const inputSchema = jsonSchemaOf(capability.input, 'input');
    scope.get(route.path, guarded, async (request) => {
      const caller = auth.callerOf(request);
      const { input, connection } = bindInput(
        route.binding,
        inputSchema,
        request.query,
        request.params,
      );
      checkInput(route.binding, capability.input, input);
      try {
        return await frontDoor.invoke(caller.userId, capability, input, { connection });
      } catch (error) {
        throw renameFieldOf(route.binding, error);
      }
    });
  }

  scope.get('/connections', guarded, async (request) => {
    const caller = auth.callerOf(request);
    refuseQuery(request.query);
    const connections = await frontDoor.connections.list(caller.userId);
    return { connections: connections.map(connectionJson) };
  });

  scope.post('/connect-links', guarded, async (request, reply) => {
    const caller = auth.callerOf(request);
    refuseQuery(request.query);
    const raw = request.body ?? {};
    checkInput(NO_PARAMETERS, ConnectLinkRequestSchema, raw);
    const selector = ConnectLinkRequestSchema.parse(raw).connection;
    const connectionId = selector
      ? (await frontDoor.connections.resolve(caller.userId, selector)).id
      : undefined;
    const link = await frontDoor.connectLink(
      caller.userId,
      connectionId === undefined ? {} : { connectionId },
    );
    return reply.status(201).send(connectLinkJson(link));
  });

  scope.get('/openapi.json', { config: { rateLimit: false } }, async (request) => {
    refuseQuery(request.query);
    return document;
  });
  scope.get('/docs', { config: { rateLimit: false } }, async (request, reply) => {
    refuseQuery(request.query);
    return reply.type('text/html; charset=utf-8').send(docsPage);
  });
}
