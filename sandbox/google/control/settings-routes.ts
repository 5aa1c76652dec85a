/**
 * The control routes about the sandbox as a whole: `POST /__sandbox/reset` (back to the
 * seed), `PUT /__sandbox/settings` (token lifetime, refresh-token rotation and expiries,
 * the per-user limits; answers every setting), `GET|POST|DELETE /__sandbox/faults`
 * (injected faults, which `faults.ts` applies) and `GET /__sandbox/stats` (grants,
 * revocations, requests by route, quota units by user, Gmail calls refused for
 * concurrency by user, Gmail requests in flight now by user).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FAULT_REASON_NAMES } from '../google-errors.ts';
import type { Fault, SandboxState } from '../sandbox-state.ts';
import { invalid, parse } from './control-body.ts';

const SettingsBody = z.strictObject({
  accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
  rotateRefreshTokens: z.boolean().optional(),
  publishingStatus: z.enum(['in_production', 'testing']).optional(),
  expireUnusedRefreshTokens: z.boolean().optional(),
  refreshTokensPerClient: z.number().int().min(1).max(1_000).optional(),
  gmailQuotaUnitsPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  calendarRequestsPerMinute: z.number().int().min(1).max(1_000_000).optional(),
  /** null switches the limit off. */
  gmailConcurrentRequestsPerUser: z.number().int().min(1).max(1_000).nullable().optional(),
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

export function registerResetRoute(app: FastifyInstance, reset: () => Promise<void>): void {
  app.post('/__sandbox/reset', async () => {
    await reset();
    return { ok: true };
  });
}

export function registerSettingsRoutes(app: FastifyInstance, state: SandboxState): void {
  app.put('/__sandbox/settings', async (request, reply) => {
    const body = parse(SettingsBody, request.body, reply);
    if (!body) return reply;
    for (const [name, value] of Object.entries(body)) {
      if (value !== undefined) Object.assign(state.settings, { [name]: value });
    }
    return { ...state.settings };
  });
}

/** A fault needs a status, a latency, or both; a `reason` needs a status. */
export function registerFaultRoutes(app: FastifyInstance, state: SandboxState): void {
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
    const fault: Fault = {
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
}

export function registerStatsRoute(app: FastifyInstance, state: SandboxState): void {
  app.get('/__sandbox/stats', async () => ({
    ...structuredClone(state.stats),
    gmailInFlight: Object.fromEntries(state.gmailInFlight),
  }));
}
