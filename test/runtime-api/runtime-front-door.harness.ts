/**
 * A FrontDoor for the runtime API tests: users and connections live in memory, but
 * `invoke` runs the real capabilities against the real Google sandbox over HTTP with real
 * access tokens. Refresh failures become `reauth_required` the way the broker reports
 * them. Records each call so tests can see which user id the routes passed.
 */
import { runCapability } from '../../src/capabilities/index.ts';
import type { ConnectionView } from '../../src/connections/index.ts';
import { TidingsError } from '../../src/errors.ts';
import type { ConnectLink, FrontDoor } from '../../src/front-door/index.ts';
import { createGoogleApi } from '../../src/google/index.ts';
import type { TokenSource } from '../../src/google/index.ts';
import type { Grant } from '../capabilities/sandbox-session.harness.ts';

export interface TestConnection {
  view: ConnectionView;
  grant: Grant;
}

export interface FrontDoorCall {
  method: string;
  userId: string;
  capability?: string;
  connection?: string | null;
}

export interface TestFrontDoorDeps {
  apiRoot: string;
  now: () => Date;
  connections: TestConnection[];
  connectLink?: FrontDoor['connectLink'];
}

function tokensFor(apiRoot: string, connection: TestConnection): TokenSource {
  return {
    accessToken: async () => connection.grant.accessToken,
    async refreshAfterRejection() {
      const response = await fetch(`${apiRoot}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: connection.grant.refreshToken,
          client_id: 'tidings-demo',
          client_secret: 'tidings-demo-secret',
        }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) {
        throw new TidingsError('reauth_required', 'Google no longer accepts this connection', {
          reason: 'revoked',
          connectionId: connection.view.id,
        });
      }
      connection.grant.accessToken = String(body.access_token);
      return connection.grant.accessToken;
    },
  };
}

function notUsed(): never {
  throw new Error('not used by the runtime API');
}

export function createTestFrontDoor(
  deps: TestFrontDoorDeps,
): FrontDoor & { calls: FrontDoorCall[] } {
  const calls: FrontDoorCall[] = [];
  const resolve = async (userId: string, selector?: string | null): Promise<TestConnection> => {
    const own = deps.connections.filter((c) => c.view.userId === userId);
    if (selector) {
      const wanted = selector.toLowerCase();
      const match = own.find(
        (c) => c.view.id === selector || c.view.email.toLowerCase() === wanted,
      );
      if (!match) throw new TidingsError('not_found', 'No connection matches that id or email');
      return match;
    }
    const chosen = own.find((c) => c.view.isDefault) ?? own[0];
    if (!chosen) throw new TidingsError('not_connected', 'Connect a Google account first');
    return chosen;
  };
  return {
    calls,
    users: {
      create: notUsed,
      get: notUsed,
      byTelegramId: notUsed,
      ensureTelegramUser: notUsed,
      update: notUsed,
      deleteEverything: notUsed,
    },
    connections: {
      async list(userId) {
        calls.push({ method: 'connections.list', userId });
        return deps.connections.filter((c) => c.view.userId === userId).map((c) => c.view);
      },
      async resolve(userId, selector) {
        calls.push({ method: 'connections.resolve', userId });
        return (await resolve(userId, selector)).view;
      },
      setDefault: notUsed,
      disconnect: notUsed,
    },
    async connectLink(userId, options): Promise<ConnectLink> {
      calls.push({ method: 'connectLink', userId, connection: options?.connectionId ?? null });
      if (!deps.connectLink) {
        throw new TidingsError('not_configured', 'Google sign-in is not set up on this server.', {
          settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
        });
      }
      return deps.connectLink(userId, options);
    },
    async invoke(userId, capability, input, options = {}) {
      calls.push({
        method: 'invoke',
        userId,
        capability: capability.name,
        connection: options.connection ?? null,
      });
      const connection = await resolve(userId, options.connection);
      if (connection.view.status === 'needs_reauth') {
        throw new TidingsError('reauth_required', 'The Google connection needs to be reconnected', {
          reason: 'expired',
          connectionId: connection.view.id,
        });
      }
      const google = createGoogleApi({
        apiRoot: deps.apiRoot,
        tokens: tokensFor(deps.apiRoot, connection),
        connectionId: connection.view.id,
        retries: 2,
        sleep: async () => {},
      });
      return runCapability(
        capability,
        {
          google,
          timeZone: null,
          locale: 'en-GB',
          now: deps.now,
          grantedScopes: connection.grant.scopes,
        },
        input,
      );
    },
  };
}
