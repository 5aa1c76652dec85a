/**
 * A typed client for the Telegram sandbox's control API, for tests and scripts: act as a
 * user (write, press a button, open a login button, block), read what the bot did (inbox,
 * optionally waiting for it, chat actions, callback answers), and steer the sandbox
 * (settings, injected faults, reset, stats).
 */
import type { InboxItem } from './chat-views.ts';
import type { InjectedFault } from './flood-control.ts';
import type { CallbackAnswer, ChatAction, SandboxSettings } from './types.ts';

export interface SandboxStats {
  requests: Record<string, number>;
  webhooks: { delivered: number; failed: number };
  /** Calls refused by an injected fault, by method. */
  faults: Record<string, number>;
}

/** A fault to inject: `methods` refused with `status` (429 or 5xx) at `rate` per chat. */
export interface FaultRequest {
  methods: string[];
  status: number;
  rate?: number;
  /** With 429: `parameters.retry_after` (default 1). */
  retryAfter?: number;
  count?: number;
}

export interface TelegramControl {
  /** The user writes; `profile` sets how Telegram describes them from now on. */
  write(
    userId: number,
    text: string,
    firstName?: string,
    profile?: { language_code?: string; last_name?: string; username?: string },
  ): Promise<{ message_id: number }>;
  press(userId: number, messageId: number, data: string): Promise<{ callback_query_id: string }>;
  /**
   * Presses a login button: the URL the user's browser opens, with their data signed by
   * the bot's token. `chatId`: a message in another user's chat (a forwarded copy).
   */
  openLoginUrl(
    userId: number,
    messageId: number,
    options?: { chatId?: number; text?: string },
  ): Promise<{ url: string }>;
  /** The inbox; with `wait`, answers once it holds that many messages (or at `timeoutMs`). */
  inbox(userId: number, wait?: { count: number; timeoutMs?: number }): Promise<InboxItem[]>;
  actions(userId: number): Promise<ChatAction[]>;
  callbackAnswers(userId: number): Promise<CallbackAnswer[]>;
  block(userId: number): Promise<void>;
  unblock(userId: number): Promise<void>;
  settings(changes: Partial<SandboxSettings>): Promise<SandboxSettings>;
  /** Injects a fault into the Bot API (kept until `clearFaults` or `reset`). */
  addFault(fault: FaultRequest): Promise<InjectedFault>;
  clearFaults(): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<SandboxStats>;
}

/** Thrown when the control API refuses a request; `status` and `error` as answered. */
export class ControlApiError extends Error {
  readonly status: number;

  constructor(status: number, error: string) {
    super(`telegram sandbox control API answered ${status}: ${error}`);
    this.name = 'ControlApiError';
    this.status = status;
  }
}

export function createTelegramControl(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
): TelegramControl {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetchImpl(`${baseUrl}/__sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new ControlApiError(response.status, answer.error ?? 'unknown error');
    return answer;
  };
  return {
    write: (userId, text, firstName, profile = {}) =>
      request('POST', `users/${userId}/messages`, {
        text,
        ...(firstName ? { first_name: firstName } : {}),
        ...profile,
      }),
    press: (userId, messageId, data) =>
      request('POST', `users/${userId}/callbacks`, { message_id: messageId, data }),
    openLoginUrl: (userId, messageId, options = {}) =>
      request('POST', `users/${userId}/login-url`, {
        message_id: messageId,
        ...(options.chatId !== undefined ? { chat_id: options.chatId } : {}),
        ...(options.text !== undefined ? { text: options.text } : {}),
      }),
    inbox: (userId, wait) =>
      request(
        'GET',
        wait
          ? `users/${userId}/inbox?wait=${wait.count}&timeout=${wait.timeoutMs ?? 10_000}`
          : `users/${userId}/inbox`,
      ),
    actions: (userId) => request('GET', `users/${userId}/actions`),
    callbackAnswers: (userId) => request('GET', `users/${userId}/callback-answers`),
    block: async (userId) => {
      await request('POST', `users/${userId}/block`);
    },
    unblock: async (userId) => {
      await request('POST', `users/${userId}/unblock`);
    },
    settings: (changes) => request('PUT', 'settings', changes),
    addFault: (fault) => request('POST', 'faults', fault),
    clearFaults: async () => {
      await request('DELETE', 'faults');
    },
    reset: async () => {
      await request('POST', 'reset');
    },
    stats: () => request('GET', 'stats'),
  };
}
