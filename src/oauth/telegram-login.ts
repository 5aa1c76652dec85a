/**
 * Telegram's login data, as a `login_url` button adds it to the link it opens (Bot API
 * `LoginUrl`, "seamless login"): the pressing user's `id`, names, `auth_date` and `hash`,
 * the hex HMAC-SHA256 of the data-check-string (every field Telegram added but `hash`,
 * sorted by name, `name=value` joined by newlines) keyed with SHA-256 of the bot token.
 *
 * A connect link issued in the chat opens only with this data, signed, fresh, and for the
 * Telegram user the link was issued to; so a forwarded message's button, pressed by
 * someone else, carries that someone's identity and is refused.
 */
import { createHash, createHmac } from 'node:crypto';
import { secretEquals } from '../common/index.ts';

/** Our own parameter of the connect link; every other one was added by Telegram. */
const OWN_FIELDS: ReadonlySet<string> = new Set(['ticket']);
const MAX_FIELDS = 12;
const MAX_VALUE_LENGTH = 512;
const FIELD_NAME = /^[a-z_]{1,32}$/;
/** How far ahead of our clock Telegram's `auth_date` may be. */
const FUTURE_SKEW_SECONDS = 60;

/** What Telegram vouched for: who pressed the button, and the fields it signed. */
export interface TelegramLogin {
  telegramUserId: string;
  /** The signed fields, `hash` included, to carry from the page to its form. */
  fields: Record<string, string>;
}

export type LoginProblem =
  /** The link was opened without Telegram's login data (copied, or typed). */
  | 'missing'
  /** The data is malformed, or its signature does not verify. */
  | 'invalid'
  /** The button was pressed too long ago. */
  | 'stale'
  /** A different Telegram user pressed the button (a forwarded message). */
  | 'other_user';

export type LoginCheck = { ok: true; login: TelegramLogin } | { ok: false; problem: LoginProblem };

/** Telegram's fields of a request's query or form: everything but our own parameters. */
function fieldsOf(source: Record<string, unknown>): Record<string, string> | null {
  const fields: Record<string, string> = {};
  const names = Object.keys(source).filter((name) => !OWN_FIELDS.has(name));
  if (names.length > MAX_FIELDS) return null;
  for (const name of names) {
    const value = source[name];
    if (!FIELD_NAME.test(name) || typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
      return null;
    }
    fields[name] = value;
  }
  return fields;
}

/** The hex HMAC-SHA256 Telegram puts in `hash`, for these fields and this bot. */
export function telegramLoginHash(botToken: string, fields: Record<string, string>): string {
  const checkString = Object.keys(fields)
    .filter((name) => name !== 'hash')
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('\n');
  const key = createHash('sha256').update(botToken, 'utf8').digest();
  return createHmac('sha256', key).update(checkString, 'utf8').digest('hex');
}

/**
 * Checks the login data a chat-issued link was opened with: signed by this bot, pressed
 * at most `maxAgeMs` ago, by `expectedUserId`.
 */
export function checkTelegramLogin(input: {
  botToken: string | null;
  source: Record<string, unknown>;
  expectedUserId: string;
  now: Date;
  maxAgeMs: number;
}): LoginCheck {
  const fields = fieldsOf(input.source);
  if (fields && fields.hash === undefined && fields.id === undefined) {
    return { ok: false, problem: 'missing' };
  }
  if (!fields || !input.botToken || !/^\d{1,15}$/.test(fields.id ?? '')) {
    return { ok: false, problem: 'invalid' };
  }
  const authDate = Number(fields.auth_date);
  if (!/^\d{1,12}$/.test(fields.auth_date ?? '') || !Number.isSafeInteger(authDate)) {
    return { ok: false, problem: 'invalid' };
  }
  if (!secretEquals(fields.hash, telegramLoginHash(input.botToken, fields))) {
    return { ok: false, problem: 'invalid' };
  }
  const ageMs = input.now.getTime() - authDate * 1000;
  if (ageMs > input.maxAgeMs || ageMs < -FUTURE_SKEW_SECONDS * 1000) {
    return { ok: false, problem: 'stale' };
  }
  if (fields.id !== input.expectedUserId) return { ok: false, problem: 'other_user' };
  return { ok: true, login: { telegramUserId: fields.id, fields } };
}
