/**
 * The control routes about grants: revoking every grant of a user (`POST
 * /__sandbox/users/{email}/revoke`, as when the user removes the app, with a RISC
 * `tokens-revoked` push; or, with `reason: invalid_rapt`, as a Workspace session-control
 * expiry, without one), and the consent modes: auto-approve (consent given without the
 * page, optionally for fewer scopes) and auto-deny (every authorization request goes back
 * with the given error).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseScopes, revokeUserGrants } from '../oauth/index.ts';
import { pushSecurityEvent, riscAudience } from '../risc/index.ts';
import type { RiscDeps } from '../risc/index.ts';
import type { SandboxState } from '../sandbox-state.ts';
import { invalid, knownUser, parse } from './control-body.ts';

const RevokeBody = z.object({ reason: z.enum(['revoked', 'invalid_rapt']).default('revoked') });
const AutoDenyBody = z.object({ error: z.string().regex(/^[a-z_]+$/) });
const AutoApproveBody = z.object({ email: z.email(), scopes: z.array(z.string()).optional() });

export interface RevokeRouteDeps {
  state: SandboxState;
  risc: RiscDeps;
}

export function registerRevokeRoute(app: FastifyInstance, deps: RevokeRouteDeps): void {
  const { state } = deps;
  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/revoke',
    async (request, reply) => {
      const user = knownUser(state.users, request.params.email, reply);
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
}

export function registerConsentModeRoutes(app: FastifyInstance, state: SandboxState): void {
  app.post('/__sandbox/auto-approve', async (request, reply) => {
    const body = parse(AutoApproveBody, request.body, reply);
    if (!body) return reply;
    const user = knownUser(state.users, body.email, reply);
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
}
