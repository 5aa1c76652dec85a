/**
 * A stand-in for the sandbox core in this module's tests: a fixed token → user map,
 * Google's error envelope, a pinned clock and a quota tally. It authorizes like the core
 * promises to (401 for unknown tokens, 403 for missing scopes or another user's mailbox).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GoogleErrorDetail, SandboxContext, SandboxUser } from '../context.ts';

export interface FakeGrant {
  user: SandboxUser;
  scopes: string[];
}

export interface FakeContext extends SandboxContext {
  quota: Map<string, number>;
}

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
};

export function createFakeContext(
  grants: Record<string, FakeGrant>,
  now: Date,
  baseUrl = 'http://127.0.0.1',
): FakeContext {
  const quota = new Map<string, number>();
  const users = new Map<string, SandboxUser>();
  for (const grant of Object.values(grants)) users.set(grant.user.email, grant.user);

  const sendError = (
    reply: FastifyReply,
    code: number,
    message: string,
    detail: GoogleErrorDetail,
    status?: string,
  ): FastifyReply =>
    reply.code(code).send({
      error: {
        code,
        message,
        errors: [{ message: detail.message ?? message, domain: 'global', ...detail }],
        status: status ?? STATUS[code] ?? 'UNKNOWN',
      },
    });

  return {
    quota,
    users,
    baseUrl: () => baseUrl,
    now: () => now,
    sendError,
    spendQuota(_reply, _api, email, units) {
      quota.set(email, (quota.get(email) ?? 0) + units);
      return true;
    },
    authorize(request: FastifyRequest, reply: FastifyReply, anyOfScopes, userId) {
      const header = request.headers.authorization ?? '';
      const query = request.query as Record<string, string | undefined>;
      const token = header.startsWith('Bearer ') ? header.slice(7) : query.access_token;
      const grant = token ? grants[token] : undefined;
      if (!grant) {
        sendError(reply, 401, 'Request had invalid authentication credentials.', {
          reason: 'authError',
          location: 'Authorization',
          locationType: 'header',
        });
        return null;
      }
      if (!grant.scopes.some((scope) => anyOfScopes.includes(scope))) {
        sendError(reply, 403, 'Request had insufficient authentication scopes.', {
          reason: 'insufficientPermissions',
        });
        return null;
      }
      if (userId && userId !== 'me' && userId.toLowerCase() !== grant.user.email) {
        sendError(reply, 403, `Delegation denied for ${grant.user.email}`, {
          reason: 'forbidden',
        });
        return null;
      }
      return grant.user;
    },
  };
}
