/**
 * Reading Bot API parameters. Telegram takes them from the query string, a JSON body, a
 * form-urlencoded body or a multipart body alike; in the last three forms every value is
 * a string and structured values (reply_markup, entities…) are JSON-serialized. These
 * readers accept both the typed and the string form and throw Telegram's 400s.
 */
import { badRequest } from './bot-api-error.ts';

export type Params = Record<string, unknown>;

/** Query parameters overlaid with body parameters (the body wins). */
export function mergeParams(query: unknown, body: unknown): Params {
  const merged: Params = {};
  if (query && typeof query === 'object') Object.assign(merged, query);
  if (body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    Object.assign(merged, body);
  }
  return merged;
}

export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`field "${name}" must be of type String`);
}

export function optionalInteger(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  throw badRequest(`field "${name}" must be of type Integer`);
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const lowered = value.toLowerCase();
    if (lowered === 'true' || lowered === '1') return true;
    if (lowered === 'false' || lowered === '0') return false;
  }
  throw badRequest(`field "${name}" must be of type Boolean`);
}

/** A structured parameter: an object or array as given, or parsed from its JSON string. */
export function optionalJson(params: Params, name: string, parseError: string): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(parseError);
  }
}

/** `chat_id` of a private chat: the user's id (a `@username` never names a private chat). */
export function requireChatId(params: Params): number {
  const value = params.chat_id;
  if (value === undefined || value === null || value === '') throw badRequest('chat_id is empty');
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  throw badRequest('chat not found');
}

export function requireMessageId(params: Params): number {
  const id = optionalInteger(params, 'message_id');
  if (id === undefined) throw badRequest('message_id is empty');
  return id;
}
