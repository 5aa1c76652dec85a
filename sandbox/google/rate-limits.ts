/**
 * Google's per-user limits. Per minute, over a sliding minute of the sandbox clock: Gmail
 * counts quota units (15,000 a minute per user), Calendar requests (600 a minute per
 * user). At once: Gmail refuses a user's requests past a number in flight (20 by default).
 * A request over a limit is answered the way each API does and costs nothing.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { QuotaApi } from './context.ts';
import { googleErrorBody, sendGoogleError } from './google-errors.ts';
import type { GoogleErrorBody } from './google-errors.ts';
import { bearerOf, bearerToken } from './oauth/index.ts';

const MINUTE_MS = 60_000;

export const DEFAULT_GMAIL_QUOTA_UNITS_PER_MINUTE = 15_000;
export const DEFAULT_CALENDAR_REQUESTS_PER_MINUTE = 600;

/**
 * What one (API, user) spent in the last minute: the charges oldest first from `head`, and
 * their sum. Each call drops the charges that left the minute from the front, so a call
 * costs O(1) however many the minute holds (amortised; the old ones are dropped once).
 */
interface UsageWindow {
  entries: { at: number; units: number }[];
  head: number;
  spent: number;
}

/** What each (API, user) spent in the last minute. */
export type UsageLog = Map<string, UsageWindow>;

export function createUsageLog(): UsageLog {
  return new Map();
}

/** Drops the charges at or before `since`, and compacts the array once most of it is gone. */
function expire(window: UsageWindow, since: number): void {
  const { entries } = window;
  while (window.head < entries.length && entries[window.head]!.at <= since) {
    window.spent -= entries[window.head]!.units;
    window.head++;
  }
  if (window.head === entries.length) {
    entries.length = 0;
    window.head = 0;
    window.spent = 0;
  } else if (window.head >= 1024 && window.head * 2 >= entries.length) {
    entries.splice(0, window.head);
    window.head = 0;
  }
}

/**
 * Records `units` for `key` when they fit in `limit` over the minute ending at `nowMs`
 * and returns null; otherwise records nothing and returns when they would fit.
 */
export function takeUnits(
  log: UsageLog,
  key: string,
  nowMs: number,
  units: number,
  limit: number,
): number | null {
  let window = log.get(key);
  if (window === undefined) {
    window = { entries: [], head: 0, spent: 0 };
    log.set(key, window);
  }
  expire(window, nowMs - MINUTE_MS);
  if (window.spent + units <= limit) {
    window.entries.push({ at: nowMs, units });
    window.spent += units;
    return null;
  }
  // Refused: when enough of the oldest charges will have left the minute (a walk, but
  // only on a refusal, which costs the caller a 429 anyway).
  let spent = window.spent;
  for (let i = window.head; i < window.entries.length; i++) {
    const entry = window.entries[i]!;
    spent -= entry.units;
    if (spent + units <= limit) return entry.at + MINUTE_MS;
  }
  return nowMs + MINUTE_MS;
}

/** Gmail's answer past the per-user limit: 429 with the time to retry in the message. */
export function sendGmailRateLimited(reply: FastifyReply, retryAtMs: number): FastifyReply {
  const message = `User-rate limit exceeded.  Retry after ${new Date(retryAtMs).toISOString()}`;
  return sendGoogleError(
    reply,
    429,
    message,
    { domain: 'usageLimits', reason: 'rateLimitExceeded' },
    'RESOURCE_EXHAUSTED',
  );
}

/** Calendar's answer past the per-user limit: 403 usageLimits userRateLimitExceeded. */
export function sendCalendarRateLimited(reply: FastifyReply): FastifyReply {
  return sendGoogleError(reply, 403, 'User Rate Limit Exceeded', {
    domain: 'usageLimits',
    reason: 'userRateLimitExceeded',
  });
}

export interface QuotaDeps {
  log: UsageLog;
  now(): Date;
  limits(): { gmail: number; calendar: number };
  /** Counts units actually spent (shown in stats). */
  count(email: string, units: number): void;
}

/** Charges a request; over the limit the error has been sent and false is returned. */
export function spendQuota(
  deps: QuotaDeps,
  reply: FastifyReply,
  api: QuotaApi,
  email: string,
  units: number,
): boolean {
  const retryAt = takeUnits(
    deps.log,
    `${api}\n${email}`,
    deps.now().getTime(),
    units,
    deps.limits()[api],
  );
  if (retryAt !== null) {
    if (api === 'gmail') sendGmailRateLimited(reply, retryAt);
    else sendCalendarRateLimited(reply);
    return false;
  }
  deps.count(email, units);
  return true;
}

/**
 * Gmail's limit on requests in flight per user: the inner calls of a batch run at once,
 * and so do parallel gets, and past a handful Gmail refuses the extra ones with 429
 * "Too many concurrent requests for user." (public clients see it from about 25 calls per
 * batch; 10 rarely fails). The default keeps that: 20 in flight, the 21st is refused.
 */
export const DEFAULT_GMAIL_CONCURRENT_REQUESTS_PER_USER = 20;

export const GMAIL_CONCURRENCY_MESSAGE = 'Too many concurrent requests for user.';

/** Gmail requests in flight per user (lower-cased email). */
export type InFlight = Map<string, number>;

export function createInFlight(): InFlight {
  return new Map();
}

/**
 * Takes one of the user's slots and returns true, or returns false when `limit` requests of
 * the user are already in flight (`null`: no limit, every request gets one).
 */
export function enterRequest(inFlight: InFlight, email: string, limit: number | null): boolean {
  const held = inFlight.get(email) ?? 0;
  if (limit !== null && held >= limit) return false;
  inFlight.set(email, held + 1);
  return true;
}

export function leaveRequest(inFlight: InFlight, email: string): void {
  const held = (inFlight.get(email) ?? 0) - 1;
  if (held > 0) inFlight.set(email, held);
  else inFlight.delete(email);
}

/** The answer to a Gmail call over the user's concurrency limit, exactly as Gmail words it. */
export function gmailConcurrencyBody(): GoogleErrorBody {
  return googleErrorBody(
    429,
    GMAIL_CONCURRENCY_MESSAGE,
    { domain: 'global', reason: 'rateLimitExceeded' },
    'RESOURCE_EXHAUSTED',
  );
}

export function sendGmailConcurrencyExceeded(reply: FastifyReply): FastifyReply {
  return reply
    .code(429)
    .header('content-type', 'application/json; charset=UTF-8')
    .send(gmailConcurrencyBody());
}

/** Marks an inner call of a batch whose slot the batch holds already. */
const SLOT_HEADER = 'x-sandbox-gmail-slot';

export interface ConcurrencyDeps {
  inFlight: InFlight;
  /** The `gmailConcurrentRequestsPerUser` setting, read at each request. */
  limit(): number | null;
  /** The user (email) a usable access token belongs to, or null. */
  owner(token: string | null): string | null;
  /** Counts a refused call (shown in stats). */
  refused(email: string): void;
}

/** A slot held for one inner call of a batch (see `SandboxContext.holdGmailSlot`). */
export interface HeldSlot {
  headers: Record<string, string>;
  release(): void;
}

export interface GmailConcurrency {
  /**
   * The `onRequest` hook (before injected latency, so a slow request holds its slot while
   * it waits): a Gmail API request takes a slot of its user, or is refused with 429.
   */
  onRequest(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
  /** Frees the slot `onRequest` took, once (`onSend`, with `onResponse` as a fallback). */
  release(request: FastifyRequest): void;
  /** Takes a slot for an inner call of a batch; null when its user has none free. */
  holdSlot(authorization: string | undefined): HeldSlot | null;
}

const NO_SLOT: HeldSlot = { headers: {}, release() {} };

export function createGmailConcurrency(deps: ConcurrencyDeps): GmailConcurrency {
  const tickets = new Map<string, string>();
  const held = new WeakMap<FastifyRequest, string>();

  function take(email: string): boolean {
    if (enterRequest(deps.inFlight, email, deps.limit())) return true;
    deps.refused(email);
    return false;
  }

  return {
    async onRequest(request, reply) {
      if (!request.routeOptions.url?.startsWith('/gmail/v1/')) return undefined;
      const ticket = request.headers[SLOT_HEADER];
      if (typeof ticket === 'string' && tickets.has(ticket)) return undefined;
      const email = deps.owner(bearerToken(request));
      if (email === null) return undefined;
      if (!take(email)) return sendGmailConcurrencyExceeded(reply);
      held.set(request, email);
      return undefined;
    },
    release(request) {
      const email = held.get(request);
      if (email === undefined) return;
      held.delete(request);
      leaveRequest(deps.inFlight, email);
    },
    holdSlot(authorization) {
      const email = deps.owner(bearerOf(authorization));
      if (email === null) return NO_SLOT;
      if (!take(email)) return null;
      const ticket = randomBytes(16).toString('base64url');
      tickets.set(ticket, email);
      return {
        headers: { [SLOT_HEADER]: ticket },
        release() {
          if (tickets.delete(ticket)) leaveRequest(deps.inFlight, email);
        },
      };
    },
  };
}
