/**
 * `/mcp`: the MCP server over streamable HTTP, stateless (a new server and transport per
 * request, answers as JSON), authenticated and rate-limited with the `/v1` API keys. Tools
 * run in this process through the front door, always for the verified key's user: another
 * user's connection id is simply not one of theirs (`not_found`). The MCP SDK is loaded at
 * the first MCP request, not when the process starts (a second of start-up and megabytes
 * of code that a server nobody asks over MCP never needs).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createToolRunner, type ToolBackend } from '../agent-tools/index.ts';
import type { ApiKeyStore } from '../api-keys/index.ts';
import { type AnyCapability, CAPABILITIES } from '../capabilities/index.ts';
import {
  connectLinkJson,
  type FrontDoor,
  frontDoorToolBackend,
  toolCatalogue,
  toolOutcome,
} from '../front-door/index.ts';
import { type RateLimitSettings, registerApiKeyGuard } from './v1/guard.ts';

export const MCP_PATH = '/mcp';

export interface McpEndpointDeps {
  frontDoor: FrontDoor;
  apiKeys: ApiKeyStore;
  version: string;
  rateLimit?: RateLimitSettings;
  /** The registry unless a test adds one. */
  capabilities?: readonly AnyCapability[];
}

/** Runs tools in this process for the key's user; unexpected failures name the request. */
function mcpBackend(
  frontDoor: FrontDoor,
  userId: string,
  capabilities: ReadonlyMap<string, AnyCapability>,
  request: FastifyRequest,
): ToolBackend {
  const unexpected = (error: unknown) => {
    request.log.error({ err: error }, 'mcp tool failed');
    return {
      code: 'internal_error',
      detail: `Tidings failed unexpectedly; the server log has the details (request ${request.id}).`,
    };
  };
  return frontDoorToolBackend(frontDoor, userId, {
    capability: (name) => capabilities.get(name),
    unexpected,
    connectLink: (connection) =>
      toolOutcome(async () => {
        const connectionId =
          connection === null
            ? undefined
            : (await frontDoor.connections.resolve(userId, connection)).id;
        const link = await frontDoor.connectLink(
          userId,
          connectionId === undefined ? {} : { connectionId },
        );
        return connectLinkJson(link);
      }, unexpected),
  });
}

let protocol: Promise<
  [
    typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    typeof import('../mcp/index.ts'),
  ]
> | null = null;

function loadProtocol() {
  protocol ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('../mcp/index.ts'),
  ]);
  return protocol;
}

export async function registerMcpEndpoint(
  app: FastifyInstance,
  deps: McpEndpointDeps,
): Promise<void> {
  const capabilities = deps.capabilities ?? CAPABILITIES;
  const tools = toolCatalogue(capabilities);
  const byName = new Map(capabilities.map((c) => [c.name, c]));
  await app.register(async (scope) => {
    const { auth, guarded } = await registerApiKeyGuard(scope, deps.apiKeys, deps.rateLimit);
    scope.post(MCP_PATH, guarded, async (request, reply) => {
      const caller = auth.callerOf(request);
      const backend = mcpBackend(deps.frontDoor, caller.userId, byName, request);
      const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await loadProtocol();
      const server = createMcpServer(createToolRunner({ tools, backend }), deps.version);
      // No session id generator: stateless, every request stands alone.
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    });
    // Stateless: no server-initiated stream to open and no session to end.
    const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .status(405)
        .header('allow', 'POST')
        .send({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Method not allowed: POST only' },
          id: null,
        });
    scope.get(MCP_PATH, guarded, notAllowed);
    scope.delete(MCP_PATH, guarded, notAllowed);
  });
}
