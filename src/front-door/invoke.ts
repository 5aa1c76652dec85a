/**
 * A capability run for a user: find the user and the connection asked for (or their
 * default), refuse one that needs reconnecting, bind a Google client to it, and run the
 * capability through the one runner that validates its input and output. The user and
 * the listing may come from reads of the last few seconds (`getRecent`, `resolveRecent`):
 * the broker reads the connection again before it hands out a token, so a disconnected
 * or broken connection is refused all the same.
 */
import { type CapabilityContext, runCapability } from '../capabilities/index.ts';
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
  now: () => Date;
}

export function createInvoke(deps: InvokeDeps): Invoke {
  return async (userId, capability, input, options = {}) => {
    const user = await deps.users.getRecent(userId);
    if (!user) throw new TidingsError('not_found', 'No such user.');
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
    };
    return runCapability(capability, context, input);
  };
}
