/**
 * Everything the Telegram sandbox remembers: bot tokens and their update queues, one
 * private chat per user, pending callback queries, settings, request counts, and the
 * per-user event bus the chat page and inbox waiters follow.
 *
 * Routing choice: there is one sandbox bot (`@tidings_sandbox_bot`); every well-formed
 * token is a way to drive it with its own update queue, webhook and commands. A bot token
 * becomes known at its first Bot API call. A user's message or button press is queued
 * for every known token; written before any token is known, it waits in a backlog that
 * the first token to call takes over. Chats are per user and shared by all tokens.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createFloodControl } from './flood-control.ts';
import type { FloodControl } from './flood-control.ts';
import { pushUpdate } from './update-queue.ts';
import { DEFAULT_SETTINGS } from './types.ts';
import type {
  BotRecord,
  ChatEvent,
  SandboxSettings,
  TgChat,
  TgMessage,
  UpdateBody,
  UserProfile,
  UserChat,
  StoredMessage,
} from './types.ts';

export const BOT_FIRST_NAME = 'Tidings';
export const BOT_USERNAME = 'tidings_sandbox_bot';

export interface PendingCallback {
  userId: number;
  messageId: number;
  data: string;
}

export interface SandboxState {
  settings: SandboxSettings;
  readonly flood: FloodControl;
  readonly bots: Map<string, BotRecord>;
  readonly chats: Map<number, UserChat>;
  readonly callbacks: Map<string, PendingCallback>;
  /** Bot API calls by method name. */
  readonly stats: Map<string, number>;
  /** Webhook POSTs by outcome. */
  readonly deliveries: { delivered: number; failed: number };
  nowMs(): number;
  /** Unix time in seconds, as Telegram dates are. */
  unixNow(): number;
  /** The record of a token, created (taking over the backlog) at its first use. */
  bot(token: string): BotRecord;
  /** The user's chat, created on first contact. */
  chatFor(userId: number, profile?: UserProfile): UserChat;
  /** Queues an update for every known bot token (or the backlog when there is none). */
  broadcast(body: UpdateBody): void;
  emit(userId: number, event: ChatEvent): void;
  subscribe(userId: number, listener: (event: ChatEvent) => void): () => void;
  reset(): void;
}

export interface StateDeps {
  nowMs: () => number;
  /** Called after an update is queued for a bot (webhook delivery starts from here). */
  onQueued: (bot: BotRecord) => void;
}

export function createSandboxState(deps: StateDeps): SandboxState {
  const listeners = new Map<number, Set<(event: ChatEvent) => void>>();
  let backlog: UpdateBody[] = [];

  const state: SandboxState = {
    settings: { ...DEFAULT_SETTINGS },
    flood: createFloodControl(() => state.settings, deps.nowMs),
    bots: new Map(),
    chats: new Map(),
    callbacks: new Map(),
    stats: new Map(),
    deliveries: { delivered: 0, failed: 0 },
    nowMs: deps.nowMs,
    unixNow: () => Math.floor(deps.nowMs() / 1000),
    bot(token) {
      const known = state.bots.get(token);
      if (known) return known;
      const bot = newBot(token);
      state.bots.set(token, bot);
      for (const body of backlog) pushUpdate(bot, body);
      backlog = [];
      if (bot.queue.length > 0) deps.onQueued(bot);
      return bot;
    },
    chatFor(userId, profile = {}) {
      let chat = state.chats.get(userId);
      if (!chat) {
        chat = {
          user: { id: userId, is_bot: false, first_name: `User ${userId}`, language_code: 'en' },
          hasWritten: false,
          blocked: false,
          lastMessageId: 0,
          messages: [],
          actions: [],
          callbackAnswers: [],
          chatInstance: randomBytes(8).readBigInt64BE().toString(),
        };
        state.chats.set(userId, chat);
      }
      for (const key of ['first_name', 'last_name', 'username', 'language_code'] as const) {
        const value = profile[key];
        if (typeof value === 'string' && value !== '') chat.user[key] = value;
      }
      return chat;
    },
    broadcast(body) {
      if (state.bots.size === 0) {
        backlog.push(body);
        return;
      }
      for (const bot of state.bots.values()) {
        if (pushUpdate(bot, body)) deps.onQueued(bot);
      }
    },
    emit(userId, event) {
      for (const listener of listeners.get(userId) ?? []) listener(event);
    },
    subscribe(userId, listener) {
      const set = listeners.get(userId) ?? new Set();
      set.add(listener);
      listeners.set(userId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
      };
    },
    reset() {
      state.settings = { ...DEFAULT_SETTINGS };
      state.flood.reset();
      state.chats.clear();
      state.callbacks.clear();
      state.stats.clear();
      state.deliveries.delivered = 0;
      state.deliveries.failed = 0;
      backlog = [];
      for (const bot of state.bots.values()) bot.queue = [];
      for (const set of listeners.values()) {
        for (const listener of [...set]) listener({ type: 'reset' });
      }
    },
  };
  return state;
}

function newBot(token: string): BotRecord {
  return {
    token,
    user: {
      id: Number(token.slice(0, token.indexOf(':'))),
      is_bot: true,
      first_name: BOT_FIRST_NAME,
      username: BOT_USERNAME,
    },
    queue: [],
    // A new Telegram picks where update ids start, as Telegram does after a quiet week: a bot
    // that remembers the ids of an earlier sandbox run does not take new updates for old.
    lastUpdateId: randomInt(100_000, 1_000_000_000),
    allowedUpdates: null,
    webhook: null,
    commands: new Map(),
    menuButton: { type: 'default' },
    waiters: new Set(),
    cancelPoll: null,
  };
}

export function chatOf(chat: UserChat): TgChat {
  const { id, first_name, last_name, username } = chat.user;
  return {
    id,
    type: 'private',
    first_name,
    ...(last_name ? { last_name } : {}),
    ...(username ? { username } : {}),
  };
}

/** The Bot API Message for a stored message of a chat. */
export function messageOf(chat: UserChat, stored: StoredMessage): TgMessage {
  const keyboard = stored.reply_markup?.inline_keyboard;
  return {
    message_id: stored.message_id,
    from: stored.sender === 'bot' && stored.bot ? stored.bot : chat.user,
    chat: chatOf(chat),
    date: stored.date,
    ...(stored.edit_date ? { edit_date: stored.edit_date } : {}),
    text: stored.text,
    ...(stored.entities.length > 0 ? { entities: stored.entities } : {}),
    ...(Array.isArray(keyboard) && keyboard.length > 0
      ? { reply_markup: { inline_keyboard: keyboard } }
      : {}),
    ...(stored.link_preview_options ? { link_preview_options: stored.link_preview_options } : {}),
  } as TgMessage;
}
