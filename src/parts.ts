/**
 * The domain parts a process builds from its open services: the Google OAuth client, the
 * credential broker, the user and connection stores, connect tickets and OAuth states, the
 * notification outbox, and the one `FrontDoor` built over them. The server and the CLI's
 * database commands build the same parts.
 */
import { calendarAgenda } from './capabilities/index.ts';
import {
  type Broker,
  type ConnectionStore,
  createBroker,
  createConnectionStore,
  createOutbox,
  type Outbox,
} from './connections/index.ts';
import { TidingsError } from './errors.ts';
import { createFrontDoor, type FrontDoor } from './front-door/index.ts';
import {
  createConnectionGate,
  createConnectionMemo,
  createGoogleApi,
  DEFAULT_CALLS_IN_FLIGHT,
} from './google/index.ts';
import {
  createGoogleOidc,
  createStateStore,
  createTicketStore,
  type GoogleOidc,
  type StateStore,
  type TicketStore,
} from './oauth/index.ts';
import type { Services } from './services.ts';
import { createUserStore, type UserStore } from './users/index.ts';
import { createWatchStore, type WatchStore } from './watches/index.ts';

export interface Parts {
  /** Null when no Google OAuth client is configured. */
  oidc: GoogleOidc | null;
  broker: Broker;
  connections: ConnectionStore;
  users: UserStore;
  outbox: Outbox;
  tickets: TicketStore;
  states: StateStore;
  frontDoor: FrontDoor;
  /** New-mail alert rules, cursors and held alerts. */
  watches: WatchStore;
  /** The zone the user's Google Calendar reports (one small agenda call). */
  calendarZone(userId: string): Promise<string>;
}

export interface PartsOptions {
  /** Where people reach this server (connect links, OAuth redirect URI). */
  publicUrl: () => string;
  /** Outbound fetch for Google (tests and benchmarks may wrap it). */
  fetch?: typeof fetch;
}

const notConfigured = () =>
  new TidingsError('not_configured', 'Google is not configured on this server.', {
    settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
  });

export function buildParts(services: Services, options: PartsOptions): Parts {
  const { config, database, vault, logger, metrics, now } = services;
  const db = database.db;
  const withFetch = options.fetch ? { fetch: options.fetch } : {};
  const oidc =
    config.google.clientId && config.google.clientSecret
      ? createGoogleOidc({
          issuer: config.google.issuer,
          clientId: config.google.clientId,
          clientSecret: config.google.clientSecret,
          ...withFetch,
        })
      : null;
  const endpoint = oidc ?? {
    async refresh(): Promise<never> {
      throw notConfigured();
    },
  };
  const broker = createBroker({ db, vault, endpoint, now, logger, metrics });
  const connections = createConnectionStore({
    db,
    vault,
    endpoint: () => oidc,
    now,
    logger,
    metrics,
  });
  const users = createUserStore(db);
  const tickets = createTicketStore(db, now);
  // Shared by every Google client this process builds: calls in flight per connection,
  // and the per-connection profile and time zone.
  const gate = createConnectionGate(DEFAULT_CALLS_IN_FLIGHT);
  const memo = createConnectionMemo(now);
  const watches = createWatchStore({ db, now, limit: config.watch.rulesPerUser });
  const frontDoor = createFrontDoor({
    watches: (userId, connection) => watches.book(userId, connection),
    users,
    connections,
    tickets,
    signInConfigured: oidc !== null,
    publicUrl: options.publicUrl,
    google: (connectionId) =>
      createGoogleApi({
        apiRoot: config.google.apiRoot,
        tokens: broker,
        connectionId,
        gate,
        memo,
        metrics,
        ...withFetch,
      }),
    now,
  });
  return {
    oidc,
    broker,
    connections,
    users,
    outbox: createOutbox(db, now, metrics),
    tickets,
    states: createStateStore(db, vault, now),
    frontDoor,
    watches,
    async calendarZone(userId) {
      const at = now();
      const agenda = await frontDoor.invoke(userId, calendarAgenda, {
        from: at.toISOString(),
        to: new Date(at.getTime() + 60_000).toISOString(),
      });
      return agenda.timeZone;
    },
  };
}
