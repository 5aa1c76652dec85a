/**
 * The runtime API under `/v1`: per-user API keys (Bearer), the capability routes, the
 * key's connections and connect links, a per-key rate limit (and a stricter one per client
 * address for requests without a valid key), the OpenAPI document and its docs page.
 * Routes reach users and connections only through the `FrontDoor`, always with the user
 * id of the verified key. Every route refuses query parameters (and body fields) it does
 * not know.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore } from '../../api-keys/index.ts';
import { type AnyCapability, CAPABILITIES } from '../../capabilities/index.ts';
import { TidingsError } from '../../errors.ts';
import type { FrontDoor } from '../../front-door/index.ts';
import { type RateLimitSettings, registerApiKeyGuard } from './guard.ts';
import { CAPABILITY_ROUTES } from './capability-routes.ts';
import { renderDocsPage } from './docs-page.ts';
import { jsonSchemaOf } from './openapi-components.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { bindBody, bindInput, checkInput, refuseQuery, renameFieldOf } from './query-input.ts';
import {
  connectionJson,
  connectLinkJson,
  ConnectLinkRequestSchema,
} from '../../front-door/index.ts';

export interface RuntimeApiDeps {
  frontDoor: FrontDoor;
  apiKeys: ApiKeyStore;
  /**
   * Requests per key per window (default 120 per minute), and requests without a valid
   * key per client address per window (default 30).
   */
  rateLimit?: RateLimitSettings;
  /** What `POST /v1/tools/{name}` offers; the registry unless a test adds one. */
  capabilities?: readonly AnyCapability[];
}

const NO_PARAMETERS = { query: {}, params: {} } as const;

export type { RateLimitSettings } from './guard.ts';
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
  const { auth, guarded } = await registerApiKeyGuard(scope, deps.apiKeys, deps.rateLimit);
  const document = buildOpenApiDocument(deps.capabilities ?? CAPABILITIES);
  const docsPage = renderDocsPage(document);

  for (const route of CAPABILITY_ROUTES) {
    const { capability } = route;
    const inputSchema = jsonSchemaOf(capability.input, 'input');
    scope.route({
      method: route.method.toUpperCase() as 'GET' | 'POST' | 'DELETE',
      url: route.path,
      ...guarded,
      handler: async (request, reply) => {
        const caller = auth.callerOf(request);
        const { input, connection } = bindInput(
          route.binding,
          inputSchema,
          request.query,
          request.params,
        );
        if (route.binding.body) bindBody(route.binding, request.body, input);
        checkInput(route.binding, capability.input, input);
        let output: unknown;
        try {
          output = await frontDoor.invoke(caller.userId, capability, input, { connection });
        } catch (error) {
          throw renameFieldOf(route.binding, error);
        }
        return reply.status(route.created?.of(output) ? 201 : 200).send(output);
      },
    });
  }

  // Every capability by name with a JSON body: the form agent runtimes call (the OpenClaw
  // plugin, `tidings mcp`), the same run and answer as the route of that capability (200 even when it creates).
  for (const capability of deps.capabilities ?? CAPABILITIES) {
    scope.post(`/tools/${capability.name}`, guarded, async (request) => {
      const caller = auth.callerOf(request);
      const { connection } = bindInput(NO_PARAMETERS, {}, request.query, {});
      const body = request.body ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new TidingsError('invalid_request', 'input: the body must be a JSON object', {
          field: 'input',
        });
      }
      return frontDoor.invoke(caller.userId, capability, body, { connection });
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
