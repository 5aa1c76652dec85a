/**
 * A capability run for a user: find the user and the connection asked for (or their
 * default), refuse one that needs reconnecting, bind a Google client to it, and run the
 * capability through the one runner that validates its input and output. The user and
 * the listing may come from reads of the last few seconds (`getRecent`, `resolveRecent`):
 * the broker reads the connection again before it hands out a token, so a disconnected
 * or broken connection is refused all the same.
 */
import { type CapabilityContext, runCapability, type WatchBook } from '../capabilities/index.ts';
import type { ConnectionView } from '../connections/index.ts';
import type { ConnectionStore } from '../connections/index.ts';
import { reauthReasonOf, TidingsError } from '../errors.ts';
import type { GoogleApi } from '../google/index.ts';
import type { UserStore } from '../users/index.ts';
import type { Invoke } from './contract.ts';

export interface InvokeDeps {
  users: Pick<UserStore, 'getRecent'>;
  connections: Pick<ConnectionStore, 'resolveRecent'>;
  /** A Google client bound to one connection. */
  google(connectionId: string): GoogleApi;
  /** The user's watch rules; new ones go on `connection`. */
  watches?(userId: string, connection: ConnectionView | null): WatchBook;
  now: () => Date;
}

/** Where a user-bound capability runs when the user has no connection to name. */
const NO_GOOGLE = new Proxy({} as GoogleApi, {
  get() {
    throw new TidingsError('not_connected', 'No Google account is connected.');
  },
});

export function createInvoke(deps: InvokeDeps): Invoke {
  return async (userId, capability, input, options = {}) => {
    const user = await deps.users.getRecent(userId);
    if (!user) throw new TidingsError('not_found', 'No such user.');
    if (capability.bound === 'user') {
      // Tidings' own records of the user: whatever state their connections are in.
      const connection = await deps.connections
        .resolveRecent(userId, options.connection ?? null)
        .catch((error: unknown) => {
          if (error instanceof TidingsError && error.code === 'not_connected') return null;
          throw error;
        });
      return runCapability(
        capability,
        {
          google: connection ? deps.google(connection.id) : NO_GOOGLE,
          timeZone: user.timeZone,
          locale: user.locale ?? 'en-GB',
          now: deps.now,
          grantedScopes: connection?.grantedScopes ?? [],
          ...(deps.watches ? { watches: deps.watches(userId, connection) } : {}),
        },
        input,
      );
    }
    const connection = await deps.connections.resolveRecent(userId, options.connection ?? null);
    if (connection.status === 'needs_reauth') {
      throw new TidingsError(
        'reauth_required',
        `The Google connection for ${connection.email} needs to be reconnected.`,
        { reason: reauthReasonOf(connection.statusReason), connectionId: connection.id },
      );
    }
    const context: CapabilityContext = {
      google: deps.google(connection.id),
      timeZone: user.timeZone,
      locale: user.locale ?? 'en-GB',
      now: deps.now,
      grantedScopes: connection.grantedScopes,
      ...(deps.watches ? { watches: deps.watches(userId, connection) } : {}),
    };
    return runCapability(capability, context, input);
  };
}
