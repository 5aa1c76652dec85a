/**
 * Checks the access token of an API request the way Google's APIs do: Bearer header or
 * `access_token` query parameter; unknown, expired or revoked → 401; none of the accepted
 * scopes → 403 insufficientPermissions; another user's `{userId}` → 403 delegation denied.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxUser } from '../context.ts';
import { usableToken } from './grants.ts';
import type { GrantStore } from './grants.ts';
import {
  sendDelegationDenied,
  sendInsufficientScopes,
  sendInvalidCredentials,
} from '../google-errors.ts';

/** The bearer token of a request (header first, then `access_token` query), or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') return bearerOf(header);
  const query = request.query as Record<string, unknown> | undefined;
  const value = query?.access_token;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The Bearer token of an `Authorization` header value, or null. */
export function bearerOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null;
}

/** The email of the user a usable access token belongs to, or null (no check of scopes). */
export function accessTokenOwner(deps: AccessCheckDeps, token: string | null): string | null {
  if (token === null) return null;
  const record = usableToken(deps.grants, token, 'access', deps.now().getTime());
  return record && deps.users.has(record.email) ? record.email : null;
}

export interface AccessCheckDeps {
  grants: GrantStore;
  users: Map<string, SandboxUser>;
  now(): Date;
}

export function authorizeRequest(
  deps: AccessCheckDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  anyOfScopes: readonly string[],
  userId?: string,
): SandboxUser | null {
  const token = bearerToken(request);
  if (token === null) {
    sendInvalidCredentials(reply, true);
    return null;
  }
  const record = usableToken(deps.grants, token, 'access', deps.now().getTime());
  const user = record ? deps.users.get(record.email) : undefined;
  if (!record || !user) {
    sendInvalidCredentials(reply, false);
    return null;
  }
  if (anyOfScopes.length > 0 && !anyOfScopes.some((scope) => record.scopes.includes(scope))) {
    sendInsufficientScopes(reply);
    return null;
  }
  if (userId !== undefined && userId !== 'me' && userId.toLowerCase() !== user.email) {
    sendDelegationDenied(reply, user.email);
    return null;
  }
  return user;
}
