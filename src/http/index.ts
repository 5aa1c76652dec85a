/**
 * The HTTP front door: the Fastify server (request ids, security headers, problem
 * responses, health, metrics) and the runtime API `/v1` over the front-door contract.
 * Imports `front-door/` (the contract), `capabilities/` (definitions for routes and the
 * OpenAPI document), `api-keys/`, `common/`, `metrics.ts`, `errors.ts`, `log.ts`.
 */
import type { FastifyInstance } from 'fastify';

export { createHttpServer, type HttpServerDeps } from './server.ts';
export {
  type RateLimitSettings,
  registerRuntimeApi,
  type RuntimeApiDeps,
} from './v1/index.ts';
export { MCP_PATH, type McpEndpointDeps, registerMcpEndpoint } from './mcp-endpoint.ts';

/** The server every route is registered on. */
export type HttpServer = FastifyInstance;
