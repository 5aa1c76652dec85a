/**
 * Validation of `reply_markup` as Telegram does it. Inline keyboards are checked button by
 * button (text, callback data of 1–64 bytes, URLs, login URLs on the domain linked to the
 * bot); reply keyboards, keyboard removal and force-reply are accepted as given. Only an
 * inline keyboard appears on the Message.
 */
import { badRequest } from './bot-api-error.ts';
import type { TgInlineButton, TgInlineKeyboard } from './types.ts';

const BUTTON_ACTIONS = [
  'callback_data',
  'url',
  'login_url',
  'web_app',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];
const URL_SCHEMES = new Set(['http:', 'https:', 'tg:']);

/** What validation depends on: the domain linked with `/setdomain`, if any. */
export interface MarkupRules {
  loginDomain: string | null;
}

/** The validated markup, or undefined when none was given. */
export function validateReplyMarkup(
  value: unknown,
  rules: MarkupRules,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const markup = value as Record<string, unknown>;
  if ('inline_keyboard' in markup) {
    validateInlineKeyboard(markup.inline_keyboard, rules);
    return { inline_keyboard: markup.inline_keyboard };
  }
  if ('keyboard' in markup || 'remove_keyboard' in markup || 'force_reply' in markup) {
    return markup;
  }
  throw badRequest("can't parse reply keyboard markup JSON object");
}

/** The inline keyboard of a validated markup, as it appears on a Message. */
export function inlineKeyboardOf(
  markup: Record<string, unknown> | undefined,
): TgInlineKeyboard | undefined {
  const rows = markup?.inline_keyboard as TgInlineButton[][] | undefined;
  return rows && rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

function validateInlineKeyboard(rows: unknown, rules: MarkupRules): void {
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest(
      'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays',
    );
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) validateButton(button, rules);
  }
}

function validateButton(value: unknown, rules: MarkupRules): void {
  if (!value || typeof value !== 'object') {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const button = value as Record<string, unknown>;
  if (typeof button.text !== 'string') {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }
  if (!BUTTON_ACTIONS.some((action) => button[action] !== undefined)) {
    throw badRequest(
      "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  }
  if (button.callback_data !== undefined) {
    const data = button.callback_data;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : 0;
    if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
  }
  if (button.url !== undefined) {
    const url = String(button.url);
    if (!isButtonUrl(url)) {
      throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
    }
  }
  if (button.login_url !== undefined) validateLoginUrl(button.login_url, rules);
}

/** A `LoginUrl`: an HTTP(S) URL on the domain linked to the bot with `/setdomain`. */
function validateLoginUrl(value: unknown, rules: MarkupRules): void {
  const url = (value as { url?: unknown } | null)?.url;
  if (!value || typeof value !== 'object' || typeof url !== 'string') {
    throw badRequest('can\'t parse inline keyboard button: Field "url" must be of type String');
  }
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(url);
    host = parsed.hostname.toLowerCase();
  } catch {
    throw badRequest('wrong HTTP URL');
  }
  if (!rules.loginDomain || host !== rules.loginDomain.toLowerCase()) {
    throw badRequest('BOT_DOMAIN_INVALID');
  }
}

function isButtonUrl(url: string): boolean {
  try {
    return URL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}
