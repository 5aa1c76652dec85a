/**
 * Google's side of Cross-Account Protection: the RISC discovery document
 * (`/.well-known/risc-configuration`) and the RISC configuration API under `/v1beta/`
 * (`stream:update`, `stream`, `stream:verify`, `stream/status`, `stream/status:update`,
 * `subjects:add`). Google authorizes these calls with a service account's self-signed
 * JWT (`Authorization: Bearer`); the sandbox takes that from a service account registered
 * through its control API (`service-accounts.ts`), and also the OAuth client's own
 * credentials as HTTP Basic (`client_id:client_secret`). It keeps one stream per client,
 * which stands for the client's project.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateClient, bearerOf } from '../oauth/index.ts';
import { pushSecurityEvent } from './delivery.ts';
import type { RiscDeps } from './delivery.ts';
import { PUSH_DELIVERY_METHOD, riscIssuer } from './security-events.ts';
import { authenticateServiceAccount } from './service-accounts.ts';
import { checkStreamConfig, streamResource } from './streams.ts';
import type { RiscStream } from './streams.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
};

/** The discovery document, with the fields and names Google publishes. */
export function riscConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    issuer: riscIssuer(baseUrl),
    jwks_uri: `${baseUrl}/oauth2/v3/certs`,
    delivery_methods_supported: [PUSH_DELIVERY_METHOD],
    add_subject_endpoint: `${baseUrl}/v1beta/subjects:add`,
    get_status_endpoint: `${baseUrl}/v1beta/stream/status`,
    get_configuration_endpoint: `${baseUrl}/v1beta/stream`,
    update_configuration_endpoint: `${baseUrl}/v1beta/stream:update`,
    verification_endpoint: `${baseUrl}/v1beta/stream:verify`,
  };
}

function fail(reply: FastifyReply, code: number, message: string): FastifyReply {
  return reply
    .code(code)
    .type('application/json; charset=UTF-8')
    .send({ error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } });
}

export function registerRiscApiRoutes(app: FastifyInstance, deps: RiscDeps): void {
  const { risc } = deps.state;

  /**
   * The client whose stream the caller manages, or null once a 401 or 403 has been sent:
   * a service account's bearer JWT names its project's client, Basic credentials the client.
   */
  function caller(request: FastifyRequest, reply: FastifyReply): { clientId: string } | null {
    const bearer = bearerOf(request.headers.authorization);
    if (bearer !== null) {
      const auth = authenticateServiceAccount(bearer, risc.serviceAccounts, deps.now());
      if (auth.ok) return { clientId: auth.account.clientId };
      fail(reply, auth.status, auth.message);
      return null;
    }
    const auth = authenticateClient(request, {}, deps.state.clients);
    if (auth.ok) return { clientId: auth.client.clientId };
    fail(reply, 401, 'Unauthorized.');
    return null;
  }

  /** The caller's stream, or null once a 401 or 404 has been sent. */
  function stream(
    request: FastifyRequest,
    reply: FastifyReply,
    message: string,
  ): RiscStream | null {
    const client = caller(request, reply);
    if (!client) return null;
    const found = risc.streams.get(client.clientId);
    if (!found) fail(reply, 404, message);
    return found ?? null;
  }

  app.get('/.well-known/risc-configuration', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send(riscConfiguration(deps.baseUrl())),
  );

  app.post('/v1beta/stream::update', async (request, reply) => {
    const client = caller(request, reply);
    if (!client) return reply;
    const check = checkStreamConfig(request.body);
    if (!check.ok) return fail(reply, check.code, check.message);
    const existing = risc.streams.get(client.clientId);
    const updated: RiscStream = {
      clientId: client.clientId,
      url: check.url,
      eventsRequested: check.eventsRequested,
      status: existing?.status ?? 'enabled',
      subjects: existing?.subjects ?? [],
    };
    risc.streams.set(client.clientId, updated);
    return streamResource(updated);
  });

  app.get('/v1beta/stream', async (request, reply) => {
    const found = stream(request, reply, 'Project has no RISC configuration.');
    return found ? streamResource(found) : reply;
  });

  app.get('/v1beta/stream/status', async (request, reply) => {
    const found = stream(request, reply, 'Project has no RISC configuration.');
    return found ? { status: found.status } : reply;
  });

  app.post('/v1beta/stream/status::update', async (request, reply) => {
    const found = stream(
      request,
      reply,
      'Project has no existing RISC configuration, cannot update status.',
    );
    if (!found) return reply;
    const status = (request.body as { status?: unknown } | null)?.status;
    if (status !== 'enabled' && status !== 'disabled')
      return fail(reply, 403, 'Unsupported status.');
    found.status = status;
    return { status };
  });

  app.post('/v1beta/stream::verify', async (request, reply) => {
    const found = stream(request, reply, 'Project has no RISC configuration.');
    if (!found) return reply;
    const state = (request.body as { state?: unknown } | null)?.state;
    await pushSecurityEvent(deps, {
      name: 'verification',
      clientIds: [found.clientId],
      ...(typeof state === 'string' ? { state } : {}),
    });
    return {};
  });

  app.post('/v1beta/subjects::add', async (request, reply) => {
    const found = stream(request, reply, 'Project has no RISC configuration.');
    if (!found) return reply;
    const subject = (request.body as { subject?: unknown } | null)?.subject;
    if (subject === null || typeof subject !== 'object' || Array.isArray(subject)) {
      return fail(reply, 400, 'Request must contain subject field.');
    }
    found.subjects.push(subject as Record<string, unknown>);
    return {};
  });
}
