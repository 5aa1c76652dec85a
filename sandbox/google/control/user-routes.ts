/**
 * The control routes for who exists in the sandbox: OAuth clients (`POST
 * /__sandbox/clients`), users (`GET|POST /__sandbox/users`; posting an existing email
 * updates it and keeps its `sub`) and the avatar pictures ID tokens and userinfo point at
 * (`GET /__sandbox/avatars/{sub}.svg`).
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { SandboxUser } from '../context.ts';
import { escapeHtml } from '../escape-html.ts';
import type { SandboxState } from '../sandbox-state.ts';
import { parse } from './control-body.ts';

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

/** 21 digits starting with 1, like a Google account id. */
function newSub(): string {
  let sub = '1';
  while (sub.length < 21) sub += String(randomInt(10));
  return sub;
}

export function registerClientRoutes(app: FastifyInstance, state: SandboxState): void {
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
}

export interface UserRouteDeps {
  state: SandboxState;
  /** Puts the user's primary calendar (and so Calendar's `settings/timezone`) in a zone. */
  setPrimaryZone(email: string, timeZone: string): void;
}

export function registerUserRoutes(app: FastifyInstance, deps: UserRouteDeps): void {
  const { state } = deps;

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
