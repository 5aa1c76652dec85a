/**
 * The control API for Cross-Account Protection: register a client's receiver without the
 * RISC API, register a service account that may call the RISC API for a client's project
 * (with its public key, or a new key whose JSON key file comes back), push any security
 * event about a user, list what was pushed, and push a recorded token again (same `jti`,
 * for de-duplication tests). Pushing an event changes
 * nothing else: revoking grants (`POST /__sandbox/users/{email}/revoke`) is what both
 * revokes and pushes `tokens-revoked`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid, notFound, parse } from '../control/control-body.ts';
import { pushSecurityEvent, redeliver } from './delivery.ts';
import type { RiscDeps } from './delivery.ts';
import { ACCOUNT_DISABLED_REASONS, RISC_EVENT_NAMES, RISC_EVENT_URIS } from './security-events.ts';
import { registerServiceAccount } from './service-accounts.ts';
import { receiverUrl, streamResource } from './streams.ts';
import type { RiscStream } from './streams.ts';

const ReceiverBody = z.strictObject({
  client_id: z.string().min(1),
  url: z.string().min(1),
  events_requested: z.array(z.string().min(1)).optional(),
  status: z.enum(['enabled', 'disabled']).optional(),
});

const ServiceAccountBody = z.strictObject({
  client_id: z.string().min(1),
  client_email: z.email().optional(),
  /** SPKI PEM of an RSA key; omitted, the sandbox makes a key and returns the key file. */
  public_key: z.string().min(1).optional(),
  key_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  roles: z.array(z.string().min(1)).optional(),
});

const EventBody = z.strictObject({
  type: z.enum(RISC_EVENT_NAMES),
  email: z.email().optional(),
  client_id: z.string().min(1).optional(),
  reason: z.enum(ACCOUNT_DISABLED_REASONS).optional(),
  state: z.string().optional(),
});

function receiver(stream: RiscStream): Record<string, unknown> {
  return {
    client_id: stream.clientId,
    ...streamResource(stream),
    status: stream.status,
    subjects: stream.subjects,
  };
}

export function registerRiscControlRoutes(app: FastifyInstance, deps: RiscDeps): void {
  const { state } = deps;

  app.post('/__sandbox/risc/receivers', async (request, reply) => {
    const body = parse(ReceiverBody, request.body, reply);
    if (!body) return reply;
    if (!state.clients.has(body.client_id))
      return notFound(reply, `No such client: ${body.client_id}`);
    const url = receiverUrl(body.url);
    if (url === null)
      return invalid(reply, 'url must be an https URL, or http to 127.0.0.1, localhost or [::1].');
    const stream: RiscStream = {
      clientId: body.client_id,
      url,
      eventsRequested: [...new Set(body.events_requested ?? RISC_EVENT_URIS)],
      status: body.status ?? 'enabled',
      subjects: state.risc.streams.get(body.client_id)?.subjects ?? [],
    };
    state.risc.streams.set(stream.clientId, stream);
    return reply.code(201).send(receiver(stream));
  });

  app.get('/__sandbox/risc/receivers', async () => [...state.risc.streams.values()].map(receiver));

  app.post('/__sandbox/risc/service-accounts', async (request, reply) => {
    const body = parse(ServiceAccountBody, request.body, reply);
    if (!body) return reply;
    if (!state.clients.has(body.client_id))
      return notFound(reply, `No such client: ${body.client_id}`);
    let registered: ReturnType<typeof registerServiceAccount>;
    try {
      registered = registerServiceAccount(
        state.risc.serviceAccounts,
        {
          clientId: body.client_id,
          ...(body.client_email === undefined ? {} : { email: body.client_email }),
          ...(body.public_key === undefined ? {} : { publicKey: body.public_key }),
          ...(body.key_id === undefined ? {} : { keyId: body.key_id }),
          ...(body.roles === undefined ? {} : { roles: body.roles }),
        },
        `${deps.baseUrl()}/token`,
      );
    } catch {
      return invalid(reply, 'public_key must be an RSA public key in PEM (SPKI).');
    }
    const { account, keyFile } = registered;
    return reply.code(201).send(
      keyFile ?? {
        client_email: account.email,
        private_key_id: account.keyId,
        oauth_client_id: account.clientId,
        roles: account.roles,
      },
    );
  });

  app.post('/__sandbox/risc/events', async (request, reply) => {
    const body = parse(EventBody, request.body, reply);
    if (!body) return reply;
    if (body.reason !== undefined && body.type !== 'account-disabled')
      return invalid(reply, 'Only account-disabled takes a reason.');
    if (body.state !== undefined && body.type !== 'verification')
      return invalid(reply, 'Only verification takes a state.');
    if (body.type !== 'verification' && body.email === undefined)
      return invalid(reply, `A ${body.type} event needs the email of its user.`);
    const email = body.email?.toLowerCase();
    if (email !== undefined && !state.users.has(email))
      return notFound(reply, `No such user: ${email}`);
    const deliveries = await pushSecurityEvent(deps, {
      name: body.type,
      ...(email === undefined ? {} : { email }),
      ...(body.reason === undefined ? {} : { reason: body.reason }),
      ...(body.state === undefined ? {} : { state: body.state }),
      ...(body.client_id === undefined ? {} : { clientIds: [body.client_id] }),
    });
    return { deliveries };
  });

  app.get('/__sandbox/risc/deliveries', async () =>
    state.risc.deliveries.map((delivery) => delivery.record),
  );

  app.post<{ Params: { jti: string } }>(
    '/__sandbox/risc/deliveries/:jti/redeliver',
    async (request, reply) => {
      const delivery = await redeliver(deps, request.params.jti);
      return delivery ?? notFound(reply, `No such delivery: ${request.params.jti}`);
    },
  );
}
