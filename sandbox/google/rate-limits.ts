/**
 * Google's per-user per-minute limits, over a sliding minute of the sandbox clock: Gmail
 * counts quota units (15,000 a minute per user), Calendar requests (600 a minute per
 * user). A request over the limit is answered the way each API does and costs nothing.
 */
import type { FastifyReply } from 'fastify';
import type { QuotaApi } from './context.ts';
import { sendGoogleError } from './google-errors.ts';

const MINUTE_MS = 60_000;

export const DEFAULT_GMAIL_QUOTA_UNITS_PER_MINUTE = 15_000;
export const DEFAULT_CALENDAR_REQUESTS_PER_MINUTE = 600;

/** What each (API, user) spent in the last minute, oldest first. */
export type UsageLog = Map<string, { at: number; units: number }[]>;

export function createUsageLog(): UsageLog {
  return new Map();
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
  const since = nowMs - MINUTE_MS;
  const entries = (log.get(key) ?? []).filter((entry) => entry.at > since);
  let spent = entries.reduce((sum, entry) => sum + entry.units, 0);
  if (spent + units <= limit) {
    entries.push({ at: nowMs, units });
    log.set(key, entries);
    return null;
  }
  log.set(key, entries);
  for (const entry of entries) {
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
