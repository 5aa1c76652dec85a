/**
 * Kysely table types: the data model of DESIGN.md as the code sees it.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface UsersTable {
  id: string;
  telegram_user_id: string | null;
  display_name: string;
  time_zone: string | null;
  locale: string | null;
  settings: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export type ConnectionStatus = 'active' | 'degraded' | 'needs_reauth' | 'revoked';

export interface ConnectionsTable {
  id: string;
  user_id: string;
  provider: string;
  subject: string;
  email: string;
  display_name: string | null;
  hosted_domain: string | null;
  granted_scopes: Json<string[]>;
  status: ConnectionStatus;
  status_reason: string | null;
  access_expires_at: Timestamp | null;
  last_refreshed_at: Timestamp | null;
  last_used_at: Timestamp | null;
  last_checked_at: Timestamp | null;
  failure_count: Generated<number>;
  next_attempt_at: Timestamp | null;
  is_default: Generated<boolean>;
  token_ciphertext: string | null;
  key_version: number | null;
  /** Bumped by every write of the token bundle or the status; writers compare-and-set on it. */
  token_version: Generated<number>;
  /** Who holds the refresh lease, and until when (one refresh per connection at a time). */
  refresh_lease: string | null;
  refreshing_until: Timestamp | null;
  /** Kind of the last failed refresh while backing off (a `TokenFailureKind`), else null. */
  failure_kind: string | null;
  /**
   * Google's identifier of the stored refresh token (`hash_base64_sha512_sha512`), for
   * Cross-Account Protection's `token-revoked`; null while no token is stored, or for a
   * bundle written before it was kept and not opened since.
   */
  refresh_token_digest: string | null;
  /** When the current grant was stored (a consent); null for grants stored before it was kept. */
  granted_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConnectionEventsTable {
  id: Generated<string>;
  connection_id: string;
  user_id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  detail: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  connection_id: string | null;
  kind: string;
  payload: Json<Record<string, unknown>>;
  dedupe_key: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** A deliverer's claim: nobody else takes the row until then. */
  claimed_until: Timestamp | null;
}

export interface OauthStatesTable {
  id: string;
  user_id: string;
  connection_id: string | null;
  login_hint: string | null;
  verifier_ciphertext: string;
  key_version: number;
  nonce: string;
  scopes: Json<string[]>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ConnectTicketsTable {
  id: string;
  user_id: string;
  connection_id: string | null;
  /** Issued in the chat: only this Telegram user's signed login data opens it. */
  telegram_user_id: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface VaultKeysTable {
  version: number;
  wrapped_key: string;
  root_key_id: string;
  created_at: CreatedAt;
  retired_at: Timestamp | null;
}

export interface TelegramUpdatesTable {
  update_id: string;
  received_at: CreatedAt;
}

/** An update the bot accepted, until answered; then its id alone, for the dedup window. */
export interface TelegramInboxTable {
  update_id: string;
  /** The chat it belongs to (`chatKeyOf`): one chat's updates are answered in id order. */
  chat_key: string;
  /** The update as JSON text; null once answered. */
  body: string | null;
  /** How many times answering it began (a holder that died leaves it begun). */
  attempts: Generated<number>;
  received_at: CreatedAt;
  done_at: Timestamp | null;
}

/** Who answers a chat's updates now, until when (renewed while working). */
export interface TelegramChatLeasesTable {
  chat_key: string;
  holder: string;
  until: Timestamp;
}

export interface TelegramButtonStateTable {
  key: string;
  user_id: string;
  value: Json<unknown>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

/** A user's chat context (`telegram/store/chat-context.ts`), kept briefly. */
export interface TelegramChatContextTable {
  user_id: string;
  chat_id: string;
  context: Json<unknown>;
  updated_at: Timestamp;
  expires_at: Timestamp;
}

/** A bot message that carries a connect button, until an account is connected. */
export interface TelegramConnectButtonsTable {
  chat_id: string;
  message_id: number;
  user_id: string;
  /** The message's keyboard without its connect buttons; null when nothing is left. */
  keyboard: ColumnType<unknown, string | null, string | null>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface RiscEventsTable {
  jti: string;
  /** Each event of the token: its type URI and what Tidings did with it. */
  events: Json<Array<{ type: string; outcome: string }>>;
  received_at: CreatedAt;
}

/** A new-mail alert rule: a Gmail query on one connection (`0008-watches.ts`). */
export interface WatchRulesTable {
  id: string;
  user_id: string;
  connection_id: string;
  query: string;
  /** Only mail above this history id alerts: the mailbox's when the rule was made. */
  since_history_id: string;
  created_at: CreatedAt;
}

/** Where a connection's polls have read up to. */
export interface WatchCursorsTable {
  connection_id: string;
  history_id: string;
  polled_at: Timestamp | null;
  /** Why its rules are paused, once the user was told; null while they run. */
  paused_reason: string | null;
}

/** An alert held through the user's quiet hours (JSON text), until the digest. */
export interface WatchHeldTable {
  connection_id: string;
  message_id: string;
  user_id: string;
  alert: string;
  held_at: CreatedAt;
}

export interface Database {
  users: UsersTable;
  connections: ConnectionsTable;
  connection_events: ConnectionEventsTable;
  notifications: NotificationsTable;
  oauth_states: OauthStatesTable;
  connect_tickets: ConnectTicketsTable;
  api_keys: ApiKeysTable;
  vault_keys: VaultKeysTable;
  telegram_updates: TelegramUpdatesTable;
  telegram_inbox: TelegramInboxTable;
  telegram_chat_leases: TelegramChatLeasesTable;
  telegram_button_state: TelegramButtonStateTable;
  telegram_chat_context: TelegramChatContextTable;
  telegram_connect_buttons: TelegramConnectButtonsTable;
  risc_events: RiscEventsTable;
  watch_rules: WatchRulesTable;
  watch_cursors: WatchCursorsTable;
  watch_held: WatchHeldTable;
}

export type User = Selectable<UsersTable>;
export type Connection = Selectable<ConnectionsTable>;
export type NewConnection = Insertable<ConnectionsTable>;
export type ConnectionUpdate = Updateable<ConnectionsTable>;
export type ConnectionEvent = Selectable<ConnectionEventsTable>;
export type Notification = Selectable<NotificationsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type VaultKey = Selectable<VaultKeysTable>;
