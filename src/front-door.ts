/**
 * What every front door (Telegram bot, runtime API, MCP) may ask of the core: users, their
 * Google connections, connect links, capability runs and the notification outbox. The
 * composition root (`app.ts`) builds one `FrontDoor` from the real parts; front doors
 * receive it and nothing else, so they stay thin and testable.
 */
import type { ConnectionStatus } from './db/index.ts';
import type { ReauthReason } from './errors.ts';

export interface UserSettings {
  /** `HH:MM` in the user's zone, or null when the daily briefing is off. */
  briefingTime?: string | null;
}

export interface UserRecord {
  id: string;
  telegramUserId: string | null;
  displayName: string;
  /** IANA zone chosen by the user; null → the Google Calendar setting. */
  timeZone: string | null;
  locale: string | null;
  settings: UserSettings;
  createdAt: Date;
}

export interface ConnectionView {
  id: string;
  userId: string;
  provider: 'google';
  email: string;
  displayName: string | null;
  grantedScopes: string[];
  /** What the granted scopes allow: `gmail`, `calendar`. */
  capabilities: Array<'gmail' | 'calendar'>;
  status: ConnectionStatus;
  /** For `needs_reauth`: revoked | expired | scope_missing | corrupt; for `degraded`: why. */
  statusReason: string | null;
  isDefault: boolean;
  accessExpiresAt: Date | null;
  lastRefreshedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface ConnectLink {
  url: string;
  expiresAt: Date;
}

export type NotificationKind = 'connection_broken' | 'connected' | 'briefing';

export interface OutboxItem {
  id: string;
  userId: string;
  connectionId: string | null;
  kind: NotificationKind;
  /** For `connection_broken`: { email, reason: ReauthReason }; `connected`: { email, capabilities }. */
  payload: Record<string, unknown>;
  createdAt: Date;
  attempts: number;
}

export interface FrontDoor {
  users: {
    create(input: { displayName: string; telegramUserId?: string | null }): Promise<UserRecord>;
    get(userId: string): Promise<UserRecord | null>;
    byTelegramId(telegramUserId: string): Promise<UserRecord | null>;
    /** Finds or creates the user behind a Telegram account. */
    ensureTelegramUser(telegramUserId: string, displayName: string): Promise<UserRecord>;
    update(
      userId: string,
      patch: { timeZone?: string | null; locale?: string | null; settings?: UserSettings },
    ): Promise<UserRecord>;
    /** Revokes every connection at Google, then deletes the user and all their data. */
    deleteEverything(userId: string): Promise<void>;
    /** Users with a daily briefing set. */
    withBriefing(): Promise<UserRecord[]>;
  };
  connections: {
    list(userId: string): Promise<ConnectionView[]>;
    /** By id or email, belonging to the user; else the default. Throws not_connected / not_found. */
    resolve(userId: string, selector?: string | null): Promise<ConnectionView>;
    setDefault(userId: string, connectionId: string): Promise<ConnectionView>;
    /**
     * Revokes at Google (best effort), deletes the ciphertext, records the event. Says
     * whether Google confirmed the revocation: the local deletion happens either way.
     */
    disconnect(
      userId: string,
      connectionId: string,
    ): Promise<{ connection: ConnectionView; revokedAtGoogle: boolean }>;
  };
  /** A one-time browser link that starts the Google consent for this user (throws not_configured). */
  connectLink(userId: string, options?: { connectionId?: string }): Promise<ConnectLink>;
  /**
   * Runs one capability for a user on one of their connections (`connection` = id or email;
   * default connection otherwise). Throws TidingsError with a stable code.
   */
  invoke(
    userId: string,
    capability: string,
    input: unknown,
    options?: { connection?: string | null },
  ): Promise<unknown>;
  telegram: {
    /** True the first time an update id is seen (redelivered updates answer false). */
    firstSeen(updateId: number): Promise<boolean>;
    /** Keeps what an inline button stands for, for `ttlMs`; answers a short key to it. */
    keepButtonState(userId: string, value: unknown, ttlMs: number): Promise<string>;
    /** What was kept under `key` for this user; null when unknown, foreign or expired. */
    buttonState(userId: string, key: string): Promise<unknown>;
    /** Forgets update ids seen before `seenBefore` and expired button state; answers the count. */
    prune(seenBefore: Date): Promise<number>;
  };
  outbox: {
    pending(limit: number): Promise<OutboxItem[]>;
    /** Claims undelivered items for a while, so no other instance delivers them meanwhile. */
    claim(limit: number): Promise<OutboxItem[]>;
    delivered(id: string): Promise<void>;
    /** Counts a failed attempt; `permanent` (blocked bot, user gone) stops further attempts. */
    failed(id: string, error: string, options?: { permanent?: boolean }): Promise<void>;
    /** Queues a notification (e.g. a briefing); `dedupeKey` makes it happen once. */
    enqueue(item: {
      userId: string;
      kind: NotificationKind;
      payload: Record<string, unknown>;
      dedupeKey?: string;
    }): Promise<void>;
  };
}

export type { ReauthReason };
