/**
 * The connect button: a Telegram login button (`login_url`). Pressing it opens the connect
 * link with the pressing user's identity signed by Telegram, so Tidings can check that it
 * is the user the link was made for, and a forwarded message's button opens for no one
 * else.
 *
 * Telegram refuses a login button whose domain was not linked to the bot with BotFather's
 * `/setdomain` (400 `BOT_DOMAIN_INVALID`). The bot then never breaks: from that refusal
 * on, `plainConnectButtons` sends such buttons as plain URL buttons, says so once in the
 * log, and lets each of those links open without Telegram's login data (`unbind`).
 */
import type { Transformer } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';

/** The methods that can carry an inline keyboard the bot builds. */
const KEYBOARD_METHODS: ReadonlySet<string> = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
]);

export const LOGIN_BUTTON_REFUSED =
  'Telegram refused a login button (BOT_DOMAIN_INVALID): connect buttons go out as plain links from now on, and those links open for whoever holds them. Link the domain of PUBLIC_URL to the bot with BotFather (/setdomain), then restart Tidings.';

/** A button that opens `url` with the pressing Telegram user's signed login data. */
export function loginButton(text: string, url: string): InlineKeyboardButton {
  return { text, login_url: { url } };
}

type Keyboard = Array<Array<Record<string, unknown>>>;

function keyboardOf(payload: unknown): Keyboard | null {
  const markup = (payload as { reply_markup?: { inline_keyboard?: unknown } } | null)?.reply_markup;
  const rows = markup?.inline_keyboard;
  return Array.isArray(rows) ? (rows as Keyboard) : null;
}

/** The URLs of the login buttons a call's keyboard carries. */
function loginUrlsOf(payload: unknown): string[] {
  const urls: string[] = [];
  for (const row of keyboardOf(payload) ?? []) {
    for (const button of Array.isArray(row) ? row : []) {
      const url = (button.login_url as { url?: unknown } | undefined)?.url;
      if (typeof url === 'string') urls.push(url);
    }
  }
  return urls;
}

/** The same call with each login button turned into a plain URL button. */
function withPlainButtons<P>(payload: P): P {
  const rows = keyboardOf(payload) ?? [];
  const inline_keyboard = rows.map((row) =>
    row.map((button) => {
      const url = (button.login_url as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string') return button;
      const { login_url: _login, ...rest } = button;
      return { ...rest, url };
    }),
  );
  const markup = (payload as { reply_markup: object }).reply_markup;
  return { ...payload, reply_markup: { ...markup, inline_keyboard } };
}

function isDomainRefusal(answer: { ok: boolean; description?: string }): boolean {
  return !answer.ok && (answer.description ?? '').includes('BOT_DOMAIN_INVALID');
}

/**
 * A grammY API transformer: login buttons as they are until Telegram refuses one for its
 * domain; then, for that call and every later one, plain URL buttons whose links were
 * unbound first.
 */
export function plainConnectButtons(deps: {
  warn: (message: string) => void;
  unbind: (url: string) => Promise<void>;
}): Transformer {
  let refused = false;
  return async (prev, method, payload, signal) => {
    const urls = KEYBOARD_METHODS.has(method) ? loginUrlsOf(payload) : [];
    if (urls.length === 0) return prev(method, payload, signal);
    if (!refused) {
      const answer = await prev(method, payload, signal);
      if (!isDomainRefusal(answer)) return answer;
      // Another call may have been refused while this one was on its way: warn once.
      if (!refused) deps.warn(LOGIN_BUTTON_REFUSED);
      refused = true;
    }
    for (const url of urls) await deps.unbind(url);
    return prev(method, withPlainButtons(payload), signal);
  };
}
