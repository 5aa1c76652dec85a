/**
 * What the connect routes (start and callback) are built from: the Google OAuth client,
 * the one-time ticket and state stores, the connection store, and how to reach this server.
 */
import type { ConnectionStore } from '../connections/index.ts';
import type { Logger } from '../log.ts';
import type { GoogleOidc } from './google-oidc.ts';
import type { StateStore, TicketStore } from './one-time-tokens.ts';

export interface ConnectRouteDeps {
  oidc: () => GoogleOidc | null;
  tickets: TicketStore;
  states: StateStore;
  connections: Pick<ConnectionStore, 'saveGrant' | 'list'>;
  publicUrl: () => string;
  scopes: readonly string[];
  /** Signs the browser-binding cookie (derived from the master key). */
  cookieKey: Buffer;
  logger: Logger;
  /** Called after a grant was stored (the outbox then holds a "connected" notification). */
  onConnected?: () => void;
}
