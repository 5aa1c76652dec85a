/**
 * The front-door contract: what the Telegram bot, the runtime API (`/v1`), and the MCP
 * server and OpenClaw plugin that call the same capabilities may ask of Tidings: a user's
 * record, their Google connections, a connect link, and a capability run. Front doors
 * receive one `FrontDoor` and nothing else of the domain, so they stay thin and testable.
 */
import type { AnyCapability, CapabilityInput, CapabilityOutput } from '../capabilities/index.ts';
import type { ConnectionStore, ConnectionView } from '../connections/index.ts';
import type { UserStore } from '../users/index.ts';

export interface ConnectLink {
  url: string;
  expiresAt: Date;
}

export interface FrontDoorUsers
  extends Pick<UserStore, 'create' | 'get' | 'byTelegramId' | 'ensureTelegramUser' | 'update'> {
  /** Revokes every connection at Google, then deletes the user and all their data. */
  deleteEverything(userId: string): Promise<void>;
}

export interface FrontDoorConnections
  extends Pick<ConnectionStore, 'list' | 'resolve' | 'setDefault'> {
  /**
   * Revokes at Google (best effort), deletes the ciphertext, records the event. Says
   * whether Google confirmed the revocation: the local deletion happens either way.
   */
  disconnect(
    userId: string,
    connectionId: string,
  ): Promise<{ connection: ConnectionView; revokedAtGoogle: boolean }>;
}

export interface InvokeOptions {
  /** A connection id or email of the user's; the default connection otherwise. */
  connection?: string | null;
}

/**
 * Runs one capability for a user on one of their connections and answers that
 * capability's output. Throws TidingsError with a stable code.
 */
export type Invoke = <C extends AnyCapability>(
  userId: string,
  capability: C,
  input: CapabilityInput<C>,
  options?: InvokeOptions,
) => Promise<CapabilityOutput<C>>;

export interface FrontDoor {
  users: FrontDoorUsers;
  connections: FrontDoorConnections;
  /**
   * A one-time browser link that starts the Google consent for this user (throws
   * not_configured). With `telegramLogin` (a chat's login button), it opens only with
   * Telegram's signed login data for the user's own Telegram account.
   */
  connectLink(
    userId: string,
    options?: { connectionId?: string; telegramLogin?: boolean },
  ): Promise<ConnectLink>;
  /**
   * Lets a `telegramLogin` link open without Telegram's login data, when Telegram refused
   * to send it as a login button and it goes out as a plain link instead.
   */
  unbindConnectLink?(url: string): Promise<void>;
  invoke: Invoke;
}
