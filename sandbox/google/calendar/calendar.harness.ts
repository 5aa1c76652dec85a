/**
 * Test support: the Calendar routes on a bare Fastify app behind a fake `SandboxContext`
 * (a token → user map and Google's error envelope), optionally loaded with the seed, and a
 * `@googleapis/calendar` client pointed at it.
 */
import { fileURLToPath } from 'node:url';
import { type calendar_v3, calendar as googleCalendar } from '@googleapis/calendar';
import Fastify, { type FastifyReply } from 'fastify';
import { CALENDAR_READ_SCOPES, type SandboxContext, type SandboxUser } from '../context.ts';
import { loadCalendarSeed } from './seed-loader.ts';
import { registerCalendarRoutes } from './routes.ts';
import { type CalendarStore, createCalendarStore } from './store.ts';

export const SEED_DIR = fileURLToPath(new URL('../../seed/', import.meta.url));

export const USERS: SandboxUser[] = [
  { email: 'alex@example.com', sub: '1001', name: 'Alex Rivera', timeZone: 'America/New_York' },
  { email: 'sam@example.com', sub: '1002', name: 'Sam Tanaka', timeZone: 'Pacific/Auckland' },
];

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
};

export interface CalendarApi {
  base: string;
  store: CalendarStore;
  quota: Map<string, number>;
  /** A client for the user's token (`alex-token`, `sam-token`, `gmail-only-token`). */
  client(token?: string): calendar_v3.Calendar;
  close(): Promise<void>;
}

export async function startCalendarApi(options: {
  now: Date;
  seed?: boolean;
}): Promise<CalendarApi> {
  const users = new Map(USERS.map((user) => [user.email, user]));
  const tokens = new Map<string, { email: string; scopes: string[] }>([
    ['alex-token', { email: 'alex@example.com', scopes: [CALENDAR_READ_SCOPES[0] ?? ''] }],
    ['sam-token', { email: 'sam@example.com', scopes: [CALENDAR_READ_SCOPES[2] ?? ''] }],
    [
      'gmail-only-token',
      { email: 'alex@example.com', scopes: ['https://www.googleapis.com/auth/gmail.readonly'] },
    ],
  ]);
  const quota = new Map<string, number>();
  let base = '';
  const sendError = (
    reply: FastifyReply,
    code: number,
    message: string,
    detail: {
      message?: string;
      domain?: string;
      reason: string;
      location?: string;
      locationType?: string;
    },
    status?: string,
  ) =>
    reply.code(code).send({
      error: {
        code,
        message,
        errors: [
          { message: detail.message ?? message, domain: detail.domain ?? 'global', ...detail },
        ],
        status: status ?? STATUS[code] ?? 'UNKNOWN',
      },
    });
  const ctx: SandboxContext = {
    baseUrl: () => base,
    now: () => options.now,
    users,
    authorize(request, reply, anyOfScopes) {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const grant = tokens.get(token);
      const user = grant ? users.get(grant.email) : undefined;
      if (!grant || !user) {
        sendError(reply, 401, 'Request had invalid authentication credentials.', {
          reason: 'authError',
          message: 'Invalid Credentials',
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
      return user;
    },
    spendQuota: (_reply, _api, email, units) => {
      quota.set(email, (quota.get(email) ?? 0) + units);
      return true;
    },
    sendError,
  };
  const store = createCalendarStore({ now: () => options.now });
  if (options.seed) {
    for (const user of USERS) {
      await loadCalendarSeed(store, user.email, `${SEED_DIR}${user.email}/calendar`, { days: 0 });
    }
  }
  const app = Fastify({ logger: false });
  registerCalendarRoutes(app, ctx, store);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    store,
    quota,
    client: (token = 'alex-token') =>
      googleCalendar({
        version: 'v3',
        rootUrl: `${base}/`,
        headers: { authorization: `Bearer ${token}` },
        retry: false,
      }),
    close: () => app.close(),
  };
}

export const HOLIDAYS = 'en.usa#holiday@group.v.calendar.google.com';
export const FAMILY = 'c_5d1f3a8e9b2c47f6@group.calendar.google.com';
export const WEEK = { timeMin: '2026-03-02T00:00:00-05:00', timeMax: '2026-03-09T00:00:00-04:00' };

/** The status and body of a call the client rejected. */
export async function failure(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (response) return { status: response.status, data: response.data };
    throw error;
  }
  throw new Error('the call succeeded');
}

export type Item = {
  id?: string | null;
  summary?: string | null;
  status?: string | null;
  start?: { dateTime?: string | null; date?: string | null } | null;
};
/** `start summary` per event, the compact form tests compare. */
export const brief = (items: Item[] | undefined) =>
  (items ?? []).map((e) => `${e.start?.dateTime ?? e.start?.date ?? '-'} ${e.summary ?? e.status}`);
