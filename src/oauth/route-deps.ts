/**
 * What the connect routes (start and callback) are built from: the Google OAuth client,
 * the one-time ticket and state stores, the connection store, the user records the pages
 * name, the bot token that checks Telegram's login data, and how to reach this server.
 */
import type { ConnectionStore } from '../connections/index.ts';
import type { Logger } from '../log.ts';
import type { UserStore } from '../users/index.ts';
import type { GoogleOidc } from './google-oidc.ts';
import type { StateStore, TicketStore } from './one-time-tokens.ts';

export interface ConnectRouteDeps {
  oidc: () => GoogleOidc | null;
  tickets: Pick<TicketStore, 'peek' | 'consume'>;
  states: StateStore;
  connections: Pick<ConnectionStore, 'saveGrant' | 'list'>;
  /** The Tidings account a link joins a Google account to, named on every page. */
  users: Pick<UserStore, 'get'>;
  /**
   * Checks the login data Telegram adds to a chat-issued link; null without a bot, when
   * chat-issued links cannot be opened.
   */
  telegramBotToken: string | null;
  publicUrl: () => string;
  scopes: readonly string[];
  /** Signs the browser-binding cookies (derived from the master key). */
  cookieKey: Buffer;
  logger: Logger;
  now: () => Date;
  /** Called after a grant was stored (the outbox then holds a "connected" notification). */
  onConnected?: () => void;
  /** Counts callbacks by outcome (`connected` or the failure page's error code). */
  metrics?: { oauthCallbacks: { inc(labels: { outcome: string }): void } };
}
