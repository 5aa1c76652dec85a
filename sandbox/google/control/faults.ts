/**
 * Injected faults (set through `/__sandbox/faults`, see `settings-routes.ts`): latency and
 * error answers on every route outside `/__sandbox/` (OAuth endpoints too), matched by
 * path prefix and method, limited by `count` and `rate`. API routes answer Google's JSON
 * envelope (with the fault's `reason` when it names one), the token and revocation
 * endpoints an OAuth-style JSON error, the authorization endpoint an HTML page.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { faultErrorBody } from '../google-errors.ts';
import { renderErrorPage } from '../oauth/index.ts';
import type { Fault } from '../sandbox-state.ts';

export interface FaultDeps {
  faults(): Fault[];
  random(): number;
}

export function isControlPath(path: string): boolean {
  return path === '/__sandbox' || path.startsWith('/__sandbox/');
}

function requestPath(request: FastifyRequest): string {
  const url = request.raw.url ?? request.url;
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Picks the fault this request meets (if any) and spends one of its `count`. */
function takeFault(deps: FaultDeps, method: string, path: string): Fault | null {
  for (const fault of deps.faults()) {
    if (!path.startsWith(fault.path)) continue;
    if (fault.method !== null && fault.method !== method) continue;
    if (fault.remaining !== null && fault.remaining <= 0) continue;
    if (fault.rate < 1 && deps.random() >= fault.rate) continue;
    if (fault.remaining !== null) fault.remaining -= 1;
    return fault;
  }
  return null;
}

function oauthErrorCode(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'internal_failure';
  return 'invalid_request';
}

function sendFault(reply: FastifyReply, path: string, fault: Fault & { status: number }) {
  const status = fault.status;
  if (path.startsWith('/o/oauth2/')) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(renderErrorPage(status, 'server_error', 'Something went wrong. Try again later.'));
  }
  if (path === '/token' || path === '/revoke') {
    return reply
      .code(status)
      .type('application/json; charset=utf-8')
      .send({ error: oauthErrorCode(status), error_description: 'Backend Error' });
  }
  return reply
    .code(status)
    .type('application/json; charset=UTF-8')
    .send(faultErrorBody(status, fault.reason));
}

/** The `onRequest` hook: delays and/or answers a request that meets a fault. */
export async function applyFaults(
  deps: FaultDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const path = requestPath(request);
  if (isControlPath(path)) return undefined;
  const fault = takeFault(deps, request.method, path);
  if (!fault) return undefined;
  if (fault.latencyMs > 0) await delay(fault.latencyMs);
  if (fault.status === null) return undefined;
  if (fault.retryAfter !== null) reply.header('retry-after', String(fault.retryAfter));
  return sendFault(reply, path, { ...fault, status: fault.status });
}
