/**
 * Builds the Google sandbox's Fastify app: hooks (stats, faults), OAuth/OIDC routes,
 * Cross-Account Protection (RISC), the control API, and the Gmail and Calendar modules
 * given as dependencies, all over one in-memory state that `reset()` puts back to the seed.
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext, SeedShift } from './context.ts';
import {
  applyFaults,
  isControlPath,
  type ModifyLabels,
  registerControlRoutes,
} from './control/index.ts';
import { sendGoogleError } from './google-errors.ts';
import {
  accessTokenOwner,
  authorizeRequest,
  createSigningKey,
  registerOAuthRoutes,
} from './oauth/index.ts';
import { clearState, createState } from './sandbox-state.ts';
import type { SandboxState, Settings } from './sandbox-state.ts';
import { createGmailConcurrency, spendQuota } from './rate-limits.ts';
import { registerRiscApiRoutes, registerRiscControlRoutes } from './risc/index.ts';
import type { RiscDeps } from './risc/index.ts';
import { registerSandboxFavicon } from '../favicon.ts';
import { applySeed } from './seed.ts';

/** One API module (Gmail or Calendar) as the core uses it. */
export interface ApiModule<S> {
  /** Builds the module's store on the sandbox clock. */
  createStore(now: () => Date): S;
  loadSeed(store: S, email: string, dir: string, shift: SeedShift): Promise<void>;
  register(app: FastifyInstance, ctx: SandboxContext, store: S): void;
}

export interface MailStoreLike {
  reset(): void | Promise<void>;
  /** Without label ids, the message gets the ones Gmail would give it on arrival. */
  importMessage(email: string, raw: Buffer, labelIds?: string[]): { id: string; threadId: string };
  /** Absent: labels never change. */
  modifyLabels?: ModifyLabels;
  /** Absent: history is never expired on demand. */
  expireHistory?(email: string): { historyId: number };
}

export interface CalendarStoreLike {
  reset(): void | Promise<void>;
  importIcs(email: string, ics: string, calendarId: string): { ids: string[] };
  /** Puts the user's primary calendar (and so `settings/timezone`) in an IANA zone. */
  setPrimaryZone(email: string, timeZone: string): void;
}

export interface GoogleSandboxAppOptions {
  now(): Date;
  baseUrl(): string;
  /** Seed folder, or null to start (and reset to) empty. */
  seedDir: string | null;
  /** For fault `rate`; defaults to Math.random. */
  random?: () => number;
  /** Settings to start (and reset) with instead of Google's defaults. */
  settings?: Partial<Settings>;
}

export interface GoogleSandboxApp {
  app: FastifyInstance;
  state: SandboxState;
  /** Back to the seed state (stores, grants, settings, faults, stats). */
  reset(): Promise<void>;
}

const IMPORT_LIMIT = 25 * 1024 * 1024;

export async function buildGoogleSandboxApp<G extends MailStoreLike, C extends CalendarStoreLike>(
  options: GoogleSandboxAppOptions,
  modules: { gmail: ApiModule<G>; calendar: ApiModule<C> },
): Promise<GoogleSandboxApp> {
  const state = createState(options.settings);
  const key = createSigningKey();
  const { now, baseUrl } = options;
  const gmailStore = modules.gmail.createStore(now);
  const calendarStore = modules.calendar.createStore(now);
  const random = options.random ?? Math.random;

  // Idle connections outlive any client's pool (undici keeps one at most 10 minutes), so a
  // client never reuses a connection the sandbox is closing at that moment: with the
  // sandbox and its client in one process, a long synchronous stretch fired both timers in
  // one turn and a request went out on a closed socket (ECONNRESET).
  const app = Fastify({ logger: false, bodyLimit: IMPORT_LIMIT, keepAliveTimeout: 15 * 60_000 });
  await app.register(formbody);
  app.addContentTypeParser(
    'message/rfc822',
    { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser(
    'text/calendar',
    { parseAs: 'string', bodyLimit: IMPORT_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route === undefined || isControlPath(route) || route === '/favicon.ico') return;
    // `::` is how a literal colon is written in a route (`/v1beta/stream::update`).
    const name = `${request.method} ${route.replaceAll('::', ':')}`;
    state.stats.requests[name] = (state.stats.requests[name] ?? 0) + 1;
  });
  const access = { grants: state.grants, users: state.users, now };
  const concurrency = createGmailConcurrency({
    inFlight: state.gmailInFlight,
    limit: () => state.settings.gmailConcurrentRequestsPerUser,
    owner: (token) => accessTokenOwner(access, token),
    refused(email) {
      const refusals = state.stats.gmailConcurrencyRefusals;
      refusals[email] = (refusals[email] ?? 0) + 1;
    },
  });
  // Before the faults: a request slowed by injected latency holds its slot meanwhile.
  app.addHook('onRequest', concurrency.onRequest);
  app.addHook('onSend', (request, _reply, payload, done) => {
    concurrency.release(request);
    done(null, payload);
  });
  app.addHook('onResponse', async (request) => concurrency.release(request));
  app.addHook('onRequestAbort', async (request) => concurrency.release(request));
  app.addHook('onRequest', (request, reply) =>
    applyFaults({ faults: () => state.faults, random }, request, reply),
  );

  const ctx: SandboxContext = {
    baseUrl,
    now,
    users: state.users,
    authorize: (request, reply, anyOfScopes, userId) =>
      authorizeRequest(access, request, reply, anyOfScopes, userId),
    holdGmailSlot: concurrency.holdSlot,
    spendQuota: (reply, api, email, units) =>
      spendQuota(
        {
          log: state.usage,
          now,
          limits: () => ({
            gmail: state.settings.gmailQuotaUnitsPerMinute,
            calendar: state.settings.calendarRequestsPerMinute,
          }),
          count(spender, spent) {
            state.stats.quotaUnits[spender] = (state.stats.quotaUnits[spender] ?? 0) + spent;
          },
        },
        reply,
        api,
        email,
        units,
      ),
    sendError: sendGoogleError,
  };

  async function reset(): Promise<void> {
    clearState(state, options.settings);
    await gmailStore.reset();
    await calendarStore.reset();
    if (options.seedDir === null) return;
    await applySeed(
      state,
      {
        loadMail: (email, dir, shift) => modules.gmail.loadSeed(gmailStore, email, dir, shift),
        loadCalendar: (email, dir, shift) =>
          modules.calendar.loadSeed(calendarStore, email, dir, shift),
      },
      options.seedDir,
      now(),
    );
  }

  registerOAuthRoutes(app, { state, key, now, baseUrl });
  const risc: RiscDeps = { state, key, baseUrl, now };
  registerSandboxFavicon(app);
  registerRiscApiRoutes(app, risc);
  registerRiscControlRoutes(app, risc);
  registerControlRoutes(app, {
    state,
    risc,
    now,
    importMessage: (email, raw, labelIds) => gmailStore.importMessage(email, raw, labelIds),
    modifyLabels: (email, id, add, remove) => gmailStore.modifyLabels?.(email, id, add, remove),
    expireHistory: (email) => gmailStore.expireHistory?.(email),
    importIcs: (email, ics, calendarId) => calendarStore.importIcs(email, ics, calendarId),
    setPrimaryZone: (email, timeZone) => calendarStore.setPrimaryZone(email, timeZone),
    reset,
  });
  modules.gmail.register(app, ctx, gmailStore);
  modules.calendar.register(app, ctx, calendarStore);

  await reset();
  return { app, state, reset };
}
