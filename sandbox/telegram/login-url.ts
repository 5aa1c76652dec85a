/**
 * Pressing a `login_url` button, as Telegram's "seamless login" does it: the button's URL
 * opens with the pressing user's data added to its query (`id`, `first_name`,
 * `last_name`, `username`, `auth_date`) and `hash`, the hex HMAC-SHA256 of the
 * data-check-string (those fields sorted by name, `name=value` joined by newlines) keyed
 * with SHA-256 of the token of the bot that sent the message.
 *
 * The presser is whoever presses: pressing a button of a message in another user's chat
 * stands for pressing it in a forwarded copy, and signs the presser's identity, not the
 * chat owner's. Sandbox users have no profile photos, so `photo_url` is never added.
 */
import { createHash, createHmac } from 'node:crypto';
import type { SandboxState } from './sandbox-state.ts';
import type { TgInlineButton } from './types.ts';
import type { Outcome } from './user-actions.ts';

export interface LoginPress {
  /** The message carrying the button. */
  messageId: number;
  /** Whose chat the message is in; the presser's own by default (else a forwarded copy). */
  chatId?: number | undefined;
  /** The button's text, when the message has several login buttons; else the first. */
  text?: string | undefined;
}

/** The hex `hash` Telegram signs login data with, for this bot token. */
export function signLoginData(token: string, fields: Record<string, string>): string {
  const checkString = Object.keys(fields)
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('\n');
  const key = createHash('sha256').update(token).digest();
  return createHmac('sha256', key).update(checkString).digest('hex');
}

/** The URL the presser's browser opens; refused when there is no such login button. */
export function openLoginButton(
  state: SandboxState,
  presserId: number,
  press: LoginPress,
): Outcome<{ url: string }> {
  const chat = state.chats.get(press.chatId ?? presserId);
  const stored = chat?.messages.find((m) => m.message_id === press.messageId && m.sender === 'bot');
  const rows = (stored?.reply_markup?.inline_keyboard ?? []) as TgInlineButton[][];
  const button = rows
    .flat()
    .find(
      (b) =>
        typeof (b.login_url as { url?: unknown } | undefined)?.url === 'string' &&
        (press.text === undefined || b.text === press.text),
    );
  if (!stored?.botToken || !button) {
    return { ok: false, refusal: { status: 404, error: 'no such login button on that message' } };
  }
  const presser = state.chatFor(presserId).user;
  const fields: Record<string, string> = {
    id: String(presser.id),
    first_name: presser.first_name,
    ...(presser.last_name ? { last_name: presser.last_name } : {}),
    ...(presser.username ? { username: presser.username } : {}),
    auth_date: String(state.unixNow()),
  };
  const url = new URL((button.login_url as { url: string }).url);
  for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
  url.searchParams.set('hash', signLoginData(stored.botToken, fields));
  return { ok: true, value: { url: url.href } };
}
