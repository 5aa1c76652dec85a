/**
 * The runtime API under `/v1`: per-user API keys (Bearer), the capability routes, the
 * key's connections and connect links, a per-key rate limit, the OpenAPI document and its
 * docs page. Routes reach users and connections only through the `FrontDoor`, always with
 * the user id of the verified key.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore } from '../../api-keys/index.ts';
import { getCapability } from '../../capabilities/index.ts';
import type { FrontDoor } from '../../front-door.ts';
import { createBearerAuth } from './bearer-auth.ts';
import { CAPABILITY_ROUTES } from './capability-routes.ts';
import { renderDocsPage } from './docs-page.ts';
import { jsonSchemaOf } from './openapi-components.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { bindInput, checkInput, renameFieldOf } from './query-input.ts';
import { connectionJson, connectLinkJson, ConnectLinkRequestSchema } from './resource-views.ts';

export interface RuntimeApiDeps {
  frontDoor: FrontDoor;
  apiKeys: ApiKeyStore;
  /** Requests per key per window; default 120 per minute. */
  rateLimit?: { max: number; timeWindowMs: number };
}

const NO_PARAMETERS = { query: {}, params: {} } as const;

export const DEFAULT_RATE_LIMIT = { max: 120, timeWindowMs: 60_000 } as const;

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

  await scope.register(rateLimit, {
    global: true,
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    // After authentication, so the limit counts per key, not per address.
    hook: 'preHandler',
    keyGenerator: (request) => {
      const keyId = auth.keyIdOf(request);
      return keyId ? `key:${keyId}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`rate limit of ${context.max} requests reached`), {
        statusCode: 429,
      }),
  });

  scope.addHook('onSend', async (request, reply) => {
    if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
  });

  for (const route of CAPABILITY_ROUTES) {
    const capability = getCapability(route.capability);
    if (!capability) throw new Error(`route ${route.path} names an unknown capability`);
    const inputSchema = jsonSchemaOf(capability.input, 'input');
    scope.get(route.path, { onRequest: auth.hook }, async (request) => {
      const caller = auth.callerOf(request);
      const { input, connection } = bindInput(
        route.binding,
        inputSchema,
        request.query,
        request.params,
      );
      checkInput(route.binding, capability.input, input);
      try {
        return await frontDoor.invoke(caller.userId, capability.name, input, { connection });
      } catch (error) {
        throw renameFieldOf(route.binding, error);
      }
    });
  }

  scope.get('/connections', { onRequest: auth.hook }, async (request) => {
    const caller = auth.callerOf(request);
    const connections = await frontDoor.connections.list(caller.userId);
    return { connections: connections.map(connectionJson) };
  });

  scope.post('/connect-links', { onRequest: auth.hook }, async (request, reply) => {
    const caller = auth.callerOf(request);
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

  scope.get('/openapi.json', { config: { rateLimit: false } }, async () => document);
  scope.get('/docs', { config: { rateLimit: false } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(docsPage),
  );
}
