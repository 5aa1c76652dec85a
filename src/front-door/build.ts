/**
 * The one `FrontDoor` of a process, built from the domain's stores: user records,
 * connections, connect tickets and the capability runner.
 */
import type { WatchBook } from '../capabilities/index.ts';
import type { ConnectionStore, ConnectionView } from '../connections/index.ts';
import { TidingsError } from '../errors.ts';
import type { GoogleApi } from '../google/index.ts';
import { START_PATH, type TicketStore } from '../oauth/index.ts';
import type { UserStore } from '../users/index.ts';
import type { FrontDoor } from './contract.ts';
import { createInvoke } from './invoke.ts';

export interface FrontDoorDeps {
  users: UserStore;
  connections: ConnectionStore;
  tickets: Pick<TicketStore, 'create' | 'unbind'>;
  /** False when no Google OAuth client is configured: connect links are then refused. */
  signInConfigured: boolean;
  /** Where people reach this server (the connect link's origin). */
  publicUrl: () => string;
  /** A Google client bound to one connection. */
  google(connectionId: string): GoogleApi;
  /** The user's watch rules; new ones go on `connection`. */
  watches?(userId: string, connection: ConnectionView | null): WatchBook;
  now: () => Date;
}

export function createFrontDoor(deps: FrontDoorDeps): FrontDoor {
  const { users, connections } = deps;
  const { create, get, byTelegramId, ensureTelegramUser, update } = users;
  const { list, resolve, setDefault } = connections;
  return {
    users: {
      create,
      get,
      byTelegramId,
      ensureTelegramUser,
      update,
      async deleteEverything(userId) {
        for (const connection of await connections.list(userId)) {
          await connections.disconnect(userId, connection.id);
        }
        await users.remove(userId);
      },
    },
    connections: {
      list,
      resolve,
      setDefault,
      disconnect: (userId, connectionId) => connections.disconnect(userId, connectionId),
    },
    async connectLink(userId, options = {}) {
      if (!deps.signInConfigured) {
        throw new TidingsError('not_configured', 'Google sign-in is not set up on this server.', {
          settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
        });
      }
      const user = await users.get(userId);
      if (!user) throw new TidingsError('not_found', 'No such user.');
      const { ticket, expiresAt } = await deps.tickets.create(
        userId,
        options.connectionId ?? null,
        options.telegramLogin ? user.telegramUserId : null,
      );
      return { url: `${deps.publicUrl()}${START_PATH}?ticket=${ticket}`, expiresAt };
    },
    async unbindConnectLink(url) {
      const start = `${deps.publicUrl()}${START_PATH}?`;
      if (!url.startsWith(start)) return;
      await deps.tickets.unbind(new URLSearchParams(url.slice(start.length)).get('ticket'));
    },
    invoke: createInvoke(deps),
  };
}
