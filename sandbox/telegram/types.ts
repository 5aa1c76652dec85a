/**
 * The shapes the Telegram sandbox speaks: the Bot API objects it answers with (a subset of
 * https://core.telegram.org/bots/api, field names as Telegram spells them) and the records
 * it keeps per bot token and per user chat.
 */

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private';
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface TgMessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface TgInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [other: string]: unknown;
}

export interface TgInlineKeyboard {
  inline_keyboard: TgInlineButton[][];
}

export interface TgLinkPreviewOptions {
  is_disabled?: boolean;
  url?: string;
  prefer_small_media?: boolean;
  prefer_large_media?: boolean;
  show_above_text?: boolean;
}

export interface TgMessage {
  message_id: number;
  from: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text: string;
  entities?: TgMessageEntity[];
  reply_markup?: TgInlineKeyboard;
  link_preview_options?: TgLinkPreviewOptions;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message: TgMessage;
  chat_instance: string;
  data: string;
}

/** An update before a bot's queue gives it its `update_id`. */
export type UpdateBody = { message: TgMessage } | { callback_query: TgCallbackQuery };

export type TgUpdate = UpdateBody & { update_id: number };

/** One message of a private chat, from either side, as the sandbox stores it. */
export interface StoredMessage {
  message_id: number;
  sender: 'user' | 'bot';
  /** The bot that sent it (bot messages only). */
  bot?: TgUser;
  date: number;
  edit_date?: number;
  text: string;
  entities: TgMessageEntity[];
  /** The text as the bot sent it, when it used `parse_mode: HTML`. */
  html?: string;
  /** Any reply markup the bot attached (only inline keyboards appear on the Message). */
  reply_markup?: Record<string, unknown>;
  /** The token the bot sent or last edited it with: its login buttons are signed with it. */
  botToken?: string;
  link_preview_options?: TgLinkPreviewOptions;
}

export interface ChatAction {
  action: string;
  date: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  message_id: number;
  data: string;
  text?: string;
  show_alert: boolean;
  url?: string;
  cache_time?: number;
  date: number;
}

/** A private chat between one user and the sandbox bot (shared by every bot token). */
export interface UserChat {
  user: TgUser;
  /** True once the user has written; a bot cannot start a conversation. */
  hasWritten: boolean;
  blocked: boolean;
  /** Message ids are per chat and shared by both sides, like a private chat. */
  lastMessageId: number;
  messages: StoredMessage[];
  actions: ChatAction[];
  callbackAnswers: CallbackAnswer[];
  chatInstance: string;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface Webhook {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: string[];
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

/** What the sandbox knows about one bot token. */
export interface BotRecord {
  token: string;
  user: TgUser;
  queue: TgUpdate[];
  lastUpdateId: number;
  /** `allowed_updates` of the last getUpdates/setWebhook that gave one. */
  allowedUpdates: string[] | null;
  webhook: Webhook | null;
  /** Commands by `<scope JSON>|<language_code>`. */
  commands: Map<string, BotCommand[]>;
  menuButton: Record<string, unknown>;
  /** Resolved whenever the queue gains an update or the bot's delivery mode changes. */
  waiters: Set<() => void>;
  /** Ends the long poll currently waiting, answering it 409 (a newer poll took over). */
  cancelPoll: (() => void) | null;
}

export interface SandboxSettings {
  /** Messages per second per chat, sustained; 0 disables the per-chat limit. */
  floodLimitPerChat: number;
  /** Messages a chat may receive at once before the per-chat rate applies. */
  burst: number;
  /** Messages per second over all chats; 0 disables the overall limit. */
  floodLimitGlobal: number;
  /** First webhook redelivery delay; doubles per failure up to `webhookRetryMaxMs`. */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** How long a webhook POST may take before it counts as failed. */
  webhookTimeoutMs: number;
  /** Webhook POSTs in flight at once, of different chats (at most `max_connections`). */
  webhookConcurrency: number;
  /**
   * The domain linked to the bot with BotFather's `/setdomain`: a `login_url` button to any
   * other host is refused (400 BOT_DOMAIN_INVALID). Null, like a new bot: none linked.
   */
  loginDomain: string | null;
}

export const DEFAULT_SETTINGS: SandboxSettings = Object.freeze({
  floodLimitPerChat: 1,
  burst: 20,
  floodLimitGlobal: 30,
  webhookRetryBaseMs: 1000,
  webhookRetryMaxMs: 60_000,
  webhookTimeoutMs: 10_000,
  webhookConcurrency: 1,
  loginDomain: null,
});

/** What the chat page and inbox waiters follow, per user. */
export type ChatEvent =
  | { type: 'user-message'; message: StoredMessage }
  | { type: 'bot-message'; message: StoredMessage }
  | { type: 'edit'; message: StoredMessage }
  | { type: 'delete'; message_id: number }
  | { type: 'action'; action: ChatAction }
  | { type: 'callback-answer'; answer: CallbackAnswer }
  | { type: 'reset' };

/** What a user may say about themself when writing (absent fields stay as they were). */
export interface UserProfile {
  first_name?: string | undefined;
  last_name?: string | undefined;
  username?: string | undefined;
  /** The language of the user's Telegram app, an IETF tag such as `en`, `de` or `pt-br`. */
  language_code?: string | undefined;
}
