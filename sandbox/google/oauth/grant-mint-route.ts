/**
 * A control route for tests and benchmarks that need many connected accounts at once:
 * `POST /__sandbox/grants/mint` with `{ clientId, scopes, emails }` creates each account
 * (when unknown) and an offline grant of `scopes` to the client, as a consent followed by
 * a code exchange would, and answers what that exchange would have: per account its
 * `sub`, name, access and refresh tokens, `expires_in` and the granted scopes. Thousands
 * of grants in one call, instead of one browser journey each; the tokens then behave
 * exactly like those of a real consent.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { grantKey, issueAccessToken, issueRefreshToken } from './grants.ts';
import type { OAuthState } from './oauth-state.ts';
import { formatScopes, parseScopes } from './scopes.ts';

/** How many accounts one call may mint. */
const MINT_MAX = 20_000;

export interface MintedGrant {
  email: string;
  sub: string;
  name: string;
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: message });
}

/** A 21-digit account id, as Google's look. */
function newSub(): string {
  let sub = String(randomInt(1, 10));
  while (sub.length < 21) sub += String(randomInt(0, 10));
  return sub;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
}

export function registerGrantMintRoute(
  app: FastifyInstance,
  deps: { state: OAuthState; now(): Date },
): void {
  const { state } = deps;
  app.post('/__sandbox/grants/mint', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const clientId = body.clientId;
    const emails = stringList(body.emails);
    const asked = stringList(body.scopes);
    if (typeof clientId !== 'string' || !state.clients.has(clientId)) {
      return badRequest(reply, 'clientId must name a registered client');
    }
    if (!emails || emails.length === 0 || emails.length > MINT_MAX) {
      return badRequest(reply, `emails must list 1 to ${MINT_MAX} addresses`);
    }
    if (!emails.every((email) => /^[^@\s]+@[^@\s]+$/.test(email))) {
      return badRequest(reply, 'emails must be email addresses');
    }
    const parsed = parseScopes((asked ?? []).join(' '));
    if (!asked || parsed.unknown.length > 0 || parsed.known.length === 0) {
      return badRequest(reply, 'scopes must list scopes Google knows');
    }
    const scopes = parsed.known;
    const nowMs = deps.now().getTime();
    const ttl = state.settings.accessTokenTtlSeconds;
    const minted: MintedGrant[] = [];
    for (const raw of emails) {
      const email = raw.toLowerCase();
      let user = state.users.get(email);
      if (!user) {
        const local = email.split('@')[0] ?? email;
        user = {
          email,
          sub: newSub(),
          name: local.charAt(0).toUpperCase() + local.slice(1),
          timeZone: 'UTC',
        };
        state.users.set(email, user);
      }
      const key = grantKey(email, clientId);
      const grant = state.grants.grants.get(key) ?? {
        id: `g${newSub()}`,
        clientId,
        email,
        scopes: new Set<string>(),
        refreshTokens: [],
      };
      for (const scope of scopes) grant.scopes.add(scope);
      state.grants.grants.set(key, grant);
      const source = {
        grantId: grant.id,
        clientId,
        email,
        scopes: [...grant.scopes],
        accessType: 'offline' as const,
      };
      const refreshToken = issueRefreshToken(state.grants, grant, source, nowMs, state.settings);
      const accessToken = issueAccessToken(state.grants, source, nowMs, nowMs + ttl * 1000);
      minted.push({
        email,
        sub: user.sub,
        name: user.name,
        access_token: accessToken,
        refresh_token: refreshToken,
        expires_in: ttl,
        scope: formatScopes(source.scopes),
      });
    }
    return { minted };
  });
}
