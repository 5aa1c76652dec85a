/**
 * The control API under `/__sandbox/` (DESIGN.md "Google sandbox control API"): reset,
 * OAuth clients, users, mail and event import, auto-approve (and auto-deny with a given
 * redirect error), revocation of a user's grants (optionally as a session-control
 * `invalid_rapt` expiry; otherwise with a RISC `tokens-revoked` push), settings, faults
 * and stats. Never counted in stats, never faulted.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { SandboxUser } from './context.ts';
import { revokeUserGrants } from './grants.ts';
import { pushSecurityEvent, riscAudience } from './risc/index.ts';
import type { RiscDeps } from './risc/index.ts';
import type { SandboxState } from './sandbox-state.ts';
import { escapeHtml } from './consent-page.ts';
import { invalid, notFound, parse } from './control-body.ts';
import { FAULT_REASON_NAMES } from './google-errors.ts';
import { parseScopes } from './scopes.ts';

export interface ControlRouteDeps {
  state: SandboxState;
  risc: RiscDeps;
  importMessage(email: string, raw: Buffer, labelIds: string[]): { id: string; threadId: string };
  importIcs(email: string, ics: string, calendarId: string): { ids: string[] };
  setPrimaryZone(email: string, timeZone: string): void;
  reset(): Promise<void>;
}

const ClientBody = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  redirect_uris: z.array(z.url()).default([]),
  allow_loopback_callback: z.boolean().default(false),
});
const UserBody = z.object({
  email: z.email(),
  name: z.string().min(1).optional(),
  time_zone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), {
      message: 'time_zone must be an IANA time zone such as Europe/Paris',
    })
    .optional(),
  hd: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, {
      message: 'hd must be a domain name such as example.com',
    })
    .optional(),
  email_verified: z.boolean().optional(),
});
const RevokeBody = z.object({ reason: z.enum(['revoked', 'invalid_rapt']).default('revoked') });
const AutoDenyBody = z.object({ error: z.string().regex(/^[a-z_]+$/) });
const AutoApproveBody = z.object({ email: z.email(), scopes: z.array(z.string()).optional() });
const SettingsBody = z.strictObject({
  accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
  rotateRefreshTokens: z.boolean().optional(),
  gmailQuotaUnitsPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  calendarRequestsPerMinute: z.number().int().min(1).max(1_000_000).optional(),
});
const FaultBody = z.strictObject({
  path: z.string().startsWith('/'),
  method: z.string().min(1).optional(),
  status: z.number().int().min(400).max(599).optional(),
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().min(1).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  retryAfter: z.number().int().min(0).optional(),
  reason: z.enum(FAULT_REASON_NAMES).optional(),
});

/** 21 digits starting with 1, like a Google account id. */
function newSub(): string {
  let sub = '1';
  while (sub.length < 21) sub += String(randomInt(10));
  return sub;
}

function queryValue(query: unknown, name: string): string | undefined {
  const value: unknown = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function registerControlRoutes(app: FastifyInstance, deps: ControlRouteDeps): void {
  const { state } = deps;
  const importOptions = { bodyLimit: 25 * 1024 * 1024 };

  /** The user named in the path, or a 404 answer. */
  function pathUser(email: string, reply: FastifyReply): SandboxUser | null {
    const user = state.users.get(email.toLowerCase());
    if (!user) notFound(reply, `No such user: ${email}`);
    return user ?? null;
  }

  app.post('/__sandbox/reset', async () => {
    await deps.reset();
    return { ok: true };
  });

  app.post('/__sandbox/clients', async (request, reply) => {
    const body = parse(ClientBody, request.body, reply);
    if (!body) return reply;
    state.clients.set(body.client_id, {
      clientId: body.client_id,
      clientSecret: body.client_secret,
      redirectUris: body.redirect_uris,
      allowLoopbackCallback: body.allow_loopback_callback,
    });
    return reply.code(201).send({ client_id: body.client_id });
  });

  app.get('/__sandbox/users', async () => [...state.users.values()]);

  app.post('/__sandbox/users', async (request, reply) => {
    const body = parse(UserBody, request.body, reply);
    if (!body) return reply;
    const email = body.email.toLowerCase();
    const existing = state.users.get(email);
    const localPart = email.split('@')[0] ?? email;
    const hd = body.hd?.toLowerCase() ?? existing?.hd;
    const emailVerified = body.email_verified ?? existing?.emailVerified;
    const user: SandboxUser = {
      email,
      sub: existing?.sub ?? newSub(),
      name: body.name ?? existing?.name ?? localPart.charAt(0).toUpperCase() + localPart.slice(1),
      timeZone: body.time_zone ?? existing?.timeZone ?? 'UTC',
      ...(hd === undefined ? {} : { hd }),
      ...(emailVerified === undefined ? {} : { emailVerified }),
    };
    state.users.set(email, user);
    // The account's zone is the primary calendar's: Calendar's settings/timezone follows.
    if (body.time_zone !== undefined) deps.setPrimaryZone(email, body.time_zone);
    return reply.code(existing ? 200 : 201).send({ email: user.email, sub: user.sub });
  });

  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/messages',
    importOptions,
    async (request, reply) => {
      const user = pathUser(request.params.email, reply);
      if (!user) return reply;
      if (!Buffer.isBuffer(request.body))
        return invalid(reply, 'Send the message as Content-Type: message/rfc822.');
      const labelIds = (queryValue(request.query, 'labelIds') ?? 'INBOX,UNREAD')
        .split(',')
        .map((label) => label.trim())
        .filter((label) => label !== '');
      try {
        return reply.code(201).send(deps.importMessage(user.email, request.body, labelIds));
      } catch (error) {
        return invalid(reply, `The message could not be imported: ${(error as Error).message}`);
      }
    },
  );

  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/events',
    importOptions,
    async (request, reply) => {
      const user = pathUser(request.params.email, reply);
      if (!user) return reply;
      if (typeof request.body !== 'string')
        return invalid(reply, 'Send the events as Content-Type: text/calendar.');
      const calendarId = queryValue(request.query, 'calendarId') ?? 'primary';
      try {
        return reply.code(201).send(deps.importIcs(user.email, request.body, calendarId));
      } catch (error) {
        return invalid(reply, `The events could not be imported: ${(error as Error).message}`);
      }
    },
  );

  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/revoke',
    async (request, reply) => {
      const user = pathUser(request.params.email, reply);
      if (!user) return reply;
      const body = parse(RevokeBody, request.body, reply);
      if (!body) return reply;
      if (body.reason === 'invalid_rapt') {
        return {
          revoked: revokeUserGrants(state.grants, user.email, 'invalid_rapt'),
          deliveries: [],
        };
      }
      // As when the user removes the app in their Google Account: the grants end, then
      // every client that got their email or profile hears tokens-revoked.
      const clientIds = riscAudience(state.grants, user.email);
      const revoked = revokeUserGrants(state.grants, user.email);
      const deliveries = await pushSecurityEvent(deps.risc, {
        name: 'tokens-revoked',
        email: user.email,
        clientIds,
      });
      return { revoked, deliveries };
    },
  );

  app.post('/__sandbox/auto-approve', async (request, reply) => {
    const body = parse(AutoApproveBody, request.body, reply);
    if (!body) return reply;
    const user = pathUser(body.email, reply);
    if (!user) return reply;
    let scopes: string[] | null = null;
    if (body.scopes) {
      const parsed = parseScopes(body.scopes.join(' '));
      if (parsed.unknown.length > 0)
        return invalid(reply, `Unknown scopes: ${parsed.unknown.join(', ')}`);
      scopes = parsed.known;
    }
    state.autoApprove = { email: user.email, scopes };
    return { email: user.email, scopes };
  });

  app.delete('/__sandbox/auto-approve', async () => {
    state.autoApprove = null;
    return { ok: true };
  });

  app.post('/__sandbox/auto-deny', async (request, reply) => {
    const body = parse(AutoDenyBody, request.body, reply);
    if (!body) return reply;
    state.autoDeny = body.error;
    return { error: body.error };
  });

  app.delete('/__sandbox/auto-deny', async () => {
    state.autoDeny = null;
    return { ok: true };
  });

  app.put('/__sandbox/settings', async (request, reply) => {
    const body = parse(SettingsBody, request.body, reply);
    if (!body) return reply;
    for (const [name, value] of Object.entries(body)) {
      if (value !== undefined) Object.assign(state.settings, { [name]: value });
    }
    return { ...state.settings };
  });

  app.get('/__sandbox/faults', async () => state.faults);

  app.post('/__sandbox/faults', async (request, reply) => {
    const body = parse(FaultBody, request.body, reply);
    if (!body) return reply;
    if (body.status === undefined && body.latencyMs === undefined) {
      return invalid(reply, 'A fault needs a status, a latencyMs, or both.');
    }
    if (body.reason !== undefined && body.status === undefined) {
      return invalid(reply, 'A fault with a reason needs a status.');
    }
    const fault = {
      path: body.path,
      method: body.method?.toUpperCase() ?? null,
      status: body.status ?? null,
      rate: body.rate ?? 1,
      remaining: body.count ?? null,
      latencyMs: body.latencyMs ?? 0,
      retryAfter: body.retryAfter ?? null,
      reason: body.reason ?? null,
    };
    state.faults.push(fault);
    return reply.code(201).send(fault);
  });

  app.delete('/__sandbox/faults', async () => {
    state.faults = [];
    return { ok: true };
  });

  app.get('/__sandbox/stats', async () => structuredClone(state.stats));

  app.get<{ Params: { file: string } }>('/__sandbox/avatars/:file', async (request, reply) => {
    const sub = request.params.file.replace(/\.svg$/, '');
    const user = [...state.users.values()].find((u) => u.sub === sub);
    const initials = (user?.name ?? '?')
      .split(' ')
      .map((word) => word.charAt(0))
      .join('')
      .slice(0, 2);
    return reply
      .type('image/svg+xml')
      .send(
        `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="48" fill="#0b57d0"/><text x="48" y="60" font-family="sans-serif" font-size="36" fill="#fff" text-anchor="middle">${escapeHtml(initials)}</text></svg>`,
      );
  });
}
