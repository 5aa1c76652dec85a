/**
 * The contract between the Google sandbox's core (server, OAuth, control API, faults,
 * stats, seed loading) and its API modules (Gmail, Calendar). The core builds one
 * `SandboxContext` and hands it to `registerGmailRoutes` and `registerCalendarRoutes`.
 *
 * Nothing under `src/` may import anything from `sandbox/`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SandboxUser {
  email: string;
  /** Stable Google account id (21 digits in real Google). */
  sub: string;
  name: string;
  /** IANA zone, what Calendar's `settings/timezone` answers. */
  timeZone: string;
  /** Workspace domain: the `hd` claim of ID tokens and userinfo. */
  hd?: string;
  /** False puts `email_verified: false` in ID tokens and userinfo (default true). */
  emailVerified?: boolean;
}

export const SCOPES = {
  gmailReadonly: 'https://www.googleapis.com/auth/gmail.readonly',
  gmailModify: 'https://www.googleapis.com/auth/gmail.modify',
  gmailFull: 'https://mail.google.com/',
  calendarReadonly: 'https://www.googleapis.com/auth/calendar.readonly',
  calendarEventsReadonly: 'https://www.googleapis.com/auth/calendar.events.readonly',
  calendarFull: 'https://www.googleapis.com/auth/calendar',
} as const;

/** Scopes that allow reading Gmail / Calendar (a broader scope covers the read one). */
export const GMAIL_READ_SCOPES = [SCOPES.gmailReadonly, SCOPES.gmailModify, SCOPES.gmailFull];
export const CALENDAR_READ_SCOPES = [
  SCOPES.calendarReadonly,
  SCOPES.calendarEventsReadonly,
  SCOPES.calendarFull,
];

/** Which per-user limit a request counts against. */
export type QuotaApi = 'gmail' | 'calendar';

export interface GoogleErrorDetail {
  message?: string;
  domain?: string;
  reason: string;
  location?: string;
  locationType?: string;
}

/** A slot of a user's Gmail concurrency limit, held for one inner call of a batch. */
export interface GmailSlot {
  /** Headers to send with the inner call, so that it is not counted a second time. */
  headers: Record<string, string>;
  /** Frees the slot once the inner call has been answered (a second call does nothing). */
  release(): void;
}

export interface SandboxContext {
  /** The sandbox's own base URL, e.g. `http://127.0.0.1:4010` (no trailing slash). */
  baseUrl(): string;
  /** The sandbox clock (tests may pin it). */
  now(): Date;
  /** Users by lower-cased email. */
  users: Map<string, SandboxUser>;
  /**
   * Checks the request's `Authorization: Bearer <access token>` (or `access_token` query
   * parameter): unknown, expired or revoked token → 401 envelope; token without any of
   * `anyOfScopes` → 403 insufficientPermissions. `userId` is the path's `{userId}`
   * (`me` or the user's email; another user → 403 / 404 as Google does).
   * On failure the reply has been sent and `null` is returned.
   */
  authorize(
    request: FastifyRequest,
    reply: FastifyReply,
    anyOfScopes: readonly string[],
    userId?: string,
  ): SandboxUser | null;
  /**
   * Charges a request to the user's per-minute limit and counts its quota units (shown in
   * `GET /__sandbox/stats`): Gmail passes its quota units (limit 15,000 a minute),
   * Calendar 1 per request (limit 600 a minute). Over the limit Google's rate-limit error
   * has been sent, nothing is counted, and false is returned.
   */
  spendQuota(reply: FastifyReply, api: QuotaApi, email: string, units: number): boolean;
  /**
   * Gmail's limit on requests in flight per user, for the inner calls of a batch, which
   * run at once: takes a slot for the user the access token of `authorization` belongs
   * to, or answers null when that user has none free (the call gets 429
   * rateLimitExceeded "Too many concurrent requests for user."). A token of no user takes
   * no slot. The core counts every other Gmail request itself, from arrival to answer.
   * Absent: no limit.
   */
  holdGmailSlot?(authorization: string | undefined): GmailSlot | null;
  /**
   * Sends Google's JSON error envelope:
   * `{"error":{"code","message","errors":[{message,domain,reason,...}],"status"}}`.
   */
  sendError(
    reply: FastifyReply,
    code: number,
    message: string,
    detail: GoogleErrorDetail,
    status?: string,
  ): FastifyReply;
}

/** How seed files are anchored in time (see `sandbox/seed/seed.json`). */
export interface SeedShift {
  /** Whole days to add to every date in the seed (a multiple of 7, keeps weekdays). */
  days: number;
  /**
   * Mail only: epoch ms (the load) that no seed message may be dated after. Mail is moved
   * back by as many further whole weeks as that takes; events are not.
   */
  notAfter?: number;
}
