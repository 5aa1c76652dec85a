/**
 * What a user does, as the control API and the web chat ask for it: write to the bot
 * (a `message` update with the entities Telegram detects, `bot_command` included), press
 * an inline button (a `callback_query` update), block or unblock the bot. Each returns a
 * result for the caller or a `{status, error}` refusal.
 */
import { randomBytes } from 'node:crypto';
import { MAX_MESSAGE_LENGTH, formatUserText } from './message-text.ts';
import { messageOf } from './sandbox-state.ts';
import type { SandboxState } from './sandbox-state.ts';
import type { StoredMessage, TgInlineButton, UserProfile } from './types.ts';

export interface Refusal {
  status: number;
  error: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

const refuse = <T>(status: number, error: string): Outcome<T> => ({
  ok: false,
  refusal: { status, error },
});

/** A Telegram user id from a path segment, or undefined when it is not one. */
export function parseUserId(raw: string): number | undefined {
  if (!/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

export function writeMessage(
  state: SandboxState,
  userId: number,
  text: string,
  profile: UserProfile,
): Outcome<{ message_id: number }> {
  const formatted = formatUserText(text);
  if (formatted.text === '') return refuse(400, 'text must not be empty');
  if (formatted.text.length > MAX_MESSAGE_LENGTH) return refuse(400, 'text is too long');
  const chat = state.chatFor(userId, profile);
  chat.hasWritten = true;
  chat.blocked = false;
  chat.lastMessageId += 1;
  const stored: StoredMessage = {
    message_id: chat.lastMessageId,
    sender: 'user',
    date: state.unixNow(),
    text: formatted.text,
    entities: formatted.entities,
  };
  chat.messages.push(stored);
  state.emit(userId, { type: 'user-message', message: stored });
  state.broadcast({ message: messageOf(chat, stored) });
  return { ok: true, value: { message_id: stored.message_id } };
}

export function pressButton(
  state: SandboxState,
  userId: number,
  messageId: number,
  data: string,
): Outcome<{ callback_query_id: string }> {
  const chat = state.chats.get(userId);
  const stored = chat?.messages.find((m) => m.message_id === messageId && m.sender === 'bot');
  if (!chat || !stored) return refuse(404, 'no such bot message in this chat');
  const rows = (stored.reply_markup?.inline_keyboard ?? []) as TgInlineButton[][];
  if (!rows.some((row) => row.some((button) => button.callback_data === data))) {
    return refuse(404, 'no button with this callback data on the message');
  }
  const id = randomBytes(8).readBigUInt64BE().toString();
  state.callbacks.set(id, { userId, messageId, data });
  state.broadcast({
    callback_query: {
      id,
      from: chat.user,
      message: messageOf(chat, stored),
      chat_instance: chat.chatInstance,
      data,
    },
  });
  return { ok: true, value: { callback_query_id: id } };
}

export function setBlocked(
  state: SandboxState,
  userId: number,
  blocked: boolean,
): { blocked: boolean } {
  state.chatFor(userId).blocked = blocked;
  return { blocked };
}
