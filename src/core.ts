/**
 * The core parts built from open services: Google OAuth client, broker, connection and
 * user stores, one-time tokens, outbox — and the `FrontDoor` every front door uses.
 */
import type { Services } from './app.ts';
import { getCapability, runCapability } from './capabilities/index.ts';
import {
  type Broker,
  type ConnectionStore,
  createBroker,
  createConnectionStore,
  createOutbox,
  createUserStore,
  type Outbox,
  type UserStore,
} from './connections/index.ts';
import { TidingsError } from './errors.ts';
import type { FrontDoor } from './front-door.ts';
import {
  createConnectionGate,
  createConnectionMemo,
  createGoogleApi,
  DEFAULT_CALLS_IN_FLIGHT,
} from './google/index.ts';
import { createTelegramStore } from './telegram/index.ts';
import {
  createGoogleOidc,
  createStateStore,
  createTicketStore,
  type GoogleOidc,
} from './oauth/index.ts';

export interface Core {
  oidc: GoogleOidc | null;
  broker: Broker;
  connections: ConnectionStore;
  users: UserStore;
  outbox: Outbox;
  tickets: ReturnType<typeof createTicketStore>;
  states: ReturnType<typeof createStateStore>;
  frontDoor: FrontDoor;
}

export interface CoreOptions {
  /** Where people reach this server (connect links, OAuth redirect URI). */
  publicUrl: () => string;
  /** Outbound fetch for Google (tests and benchmarks may wrap it). */
  fetch?: typeof fetch;
}

export function createCore(services: Services, options: CoreOptions): Core {
  const { config, database, vault, logger, metrics, now } = services;
  const db = database.db;
  const oidc =
    config.google.clientId && config.google.clientSecret
      ? createGoogleOidc({
          issuer: config.google.issuer,
          clientId: config.google.clientId,
          clientSecret: config.google.clientSecret,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })
      : null;
  const unconfigured = {
    async refresh(): Promise<never> {
      throw new TidingsError('not_configured', 'Google is not configured on this server.', {
        settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
      });
    },
  };
  const broker = createBroker({ db, vault, endpoint: oidc ?? unconfigured, now, logger, metrics });
  const connections = createConnectionStore({
    db,
    vault,
    endpoint: () => oidc,
    now,
    logger,
    metrics,
  });
  const users = createUserStore(db);
  const outbox = createOutbox(db, now);
  const tickets = createTicketStore(db, now);
  const states = createStateStore(db, vault, now);
  // Shared by every Google client this process builds: calls in flight per connection,
  // and the per-connection profile and time zone.
  const googleGate = createConnectionGate(DEFAULT_CALLS_IN_FLIGHT);
  const googleMemo = createConnectionMemo(now);

  const frontDoor: FrontDoor = {
    users: {
      create: (input) => users.create(input),
      get: (id) => users.get(id),
      byTelegramId: (id) => users.byTelegramId(id),
      ensureTelegramUser: (id, name) => users.ensureTelegramUser(id, name),
      update: (id, patch) => users.update(id, patch),
      withBriefing: () => users.withBriefing(),
      async deleteEverything(userId) {
        for (const connection of await connections.list(userId)) {
          await connections.disconnect(userId, connection.id);
        }
        await users.remove(userId);
      },
    },
    connections: {
      list: (userId) => connections.list(userId),
      resolve: (userId, selector) => connections.resolve(userId, selector),
      setDefault: (userId, id) => connections.setDefault(userId, id),
      disconnect: async (userId, id) => {
        const { connection, revokedAtGoogle } = await connections.disconnect(userId, id);
        return { connection, revokedAtGoogle };
      },
    },
    async connectLink(userId, linkOptions = {}) {
      if (!oidc) {
        throw new TidingsError('not_configured', 'Google sign-in is not set up on this server.', {
          settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
        });
      }
      if (!(await users.get(userId))) throw new TidingsError('not_found', 'No such user.');
      const { ticket, expiresAt } = await tickets.create(userId, linkOptions.connectionId ?? null);
      return { url: `${options.publicUrl()}/oauth/google/start?ticket=${ticket}`, expiresAt };
    },
    async invoke(userId, name, input, invokeOptions = {}) {
      const capability = getCapability(name);
      if (!capability) throw new TidingsError('not_found', `No capability named ${name}.`);
      const user = await users.get(userId);
      if (!user) throw new TidingsError('not_found', 'No such user.');
      const connection = await connections.resolve(userId, invokeOptions.connection ?? null);
      if (connection.status === 'needs_reauth') {
        throw new TidingsError(
          'reauth_required',
          `The Google connection for ${connection.email} needs to be reconnected.`,
          {
            reason: (connection.statusReason ?? 'revoked') as 'revoked',
            connectionId: connection.id,
          },
        );
      }
      const google = createGoogleApi({
        apiRoot: config.google.apiRoot,
        tokens: broker,
        connectionId: connection.id,
        gate: googleGate,
        memo: googleMemo,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      return runCapability(
        capability,
        {
          google,
          timeZone: user.timeZone,
          locale: user.locale ?? 'en-GB',
          now,
          grantedScopes: connection.grantedScopes,
        },
        input,
      );
    },
    telegram: createTelegramStore(db, now),
    outbox: {
      pending: (limit) => outbox.pending(limit),
      claim: (limit) => outbox.claim(limit),
      delivered: (id) => outbox.delivered(id),
      failed: (id, error, options) => outbox.failed(id, error, options),
      enqueue: (item) => outbox.enqueue(item),
    },
  };

  return { oidc, broker, connections, users, outbox, tickets, states, frontDoor };
}
