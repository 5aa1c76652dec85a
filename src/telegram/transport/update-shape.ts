/**
 * What the bot accepts of an update, whoever delivered it (webhook or polling): a safe
 * integer `update_id` and a message or a button press with the fields the bot reads, each
 * of the type the Bot API documents. Anything else (an empty message, a press without
 * `from`, a `null` chat, an update kind the bot does not ask for) is ignored rather than
 * answered with an error: Telegram would deliver it again and again. The update handed on
 * holds only the message or the press, so no other field can trip the framework.
 */
import type { Update } from 'grammy/types';

export type CheckedUpdate =
  | { ok: true; update: Update }
  | { ok: false; updateId: number | null; reason: string };

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isId = (value: unknown): value is number => Number.isSafeInteger(value);
const optional = (value: unknown, type: 'string' | 'boolean') =>
  value === undefined || typeof value === type;

function isUser(value: unknown): boolean {
  return (
    isObject(value) &&
    isId(value.id) &&
    typeof value.is_bot === 'boolean' &&
    typeof value.first_name === 'string' &&
    optional(value.language_code, 'string')
  );
}

function isChat(value: unknown): boolean {
  return isObject(value) && isId(value.id) && typeof value.type === 'string';
}

/** A message the bot can place: its id and chat (a button's message may lack a sender). */
function isPlacedMessage(value: unknown): boolean {
  return isObject(value) && isId(value.message_id) && isChat(value.chat);
}

function messageProblem(message: unknown): string | null {
  if (!isPlacedMessage(message)) return 'a message without a readable id or chat';
  if (!isUser((message as Fields).from)) return 'a message without a readable sender';
  return null;
}

function callbackProblem(query: unknown): string | null {
  if (!isObject(query) || typeof query.id !== 'string') return 'a button press without an id';
  if (!isUser(query.from)) return 'a button press without a readable sender';
  if (!optional(query.data, 'string')) return 'a button press whose data is not text';
  if (query.message !== undefined && !isPlacedMessage(query.message))
    return 'a button press on an unreadable message';
  return null;
}

/** The update the bot answers, or why it is ignored (never its content). */
export function checkUpdate(body: unknown): CheckedUpdate {
  if (!isObject(body)) return { ok: false, updateId: null, reason: 'not an object' };
  const updateId = isId(body.update_id) ? body.update_id : null;
  if (updateId === null) return { ok: false, updateId, reason: 'no integer update_id' };
  if (body.message !== undefined) {
    const reason = messageProblem(body.message);
    if (reason) return { ok: false, updateId, reason };
    return {
      ok: true,
      update: { update_id: updateId, message: body.message as NonNullable<Update['message']> },
    };
  }
  if (body.callback_query !== undefined) {
    const reason = callbackProblem(body.callback_query);
    if (reason) return { ok: false, updateId, reason };
    return {
      ok: true,
      update: {
        update_id: updateId,
        callback_query: body.callback_query as NonNullable<Update['callback_query']>,
      },
    };
  }
  return { ok: false, updateId, reason: 'neither a message nor a button press' };
}
