/**
 * The remaining Bot API methods the product uses: answerCallbackQuery (each query can be
 * answered once), the command list per scope and language, and the chat menu button.
 */
import { badRequest } from './bot-api-error.ts';
import type { MethodContext, MethodHandler } from './method-context.ts';
import { optionalBoolean, optionalInteger, optionalJson, optionalString } from './params.ts';
import type { Params } from './params.ts';
import type { BotCommand, CallbackAnswer } from './types.ts';

const QUERY_TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';
const COMMAND = /^[a-z0-9_]{1,32}$/;

function answerCallbackQuery({ state, params }: MethodContext): boolean {
  const id = optionalString(params, 'callback_query_id') ?? '';
  const pending = state.callbacks.get(id);
  if (!pending) throw badRequest(QUERY_TOO_OLD);
  const text = optionalString(params, 'text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  const url = optionalString(params, 'url');
  const cacheTime = optionalInteger(params, 'cache_time');
  state.callbacks.delete(id);
  const answer: CallbackAnswer = {
    callback_query_id: id,
    message_id: pending.messageId,
    data: pending.data,
    ...(text !== undefined ? { text } : {}),
    show_alert: optionalBoolean(params, 'show_alert') ?? false,
    ...(url !== undefined ? { url } : {}),
    ...(cacheTime !== undefined ? { cache_time: cacheTime } : {}),
    date: state.unixNow(),
  };
  const chat = state.chats.get(pending.userId);
  if (chat) {
    chat.callbackAnswers.push(answer);
    state.emit(pending.userId, { type: 'callback-answer', answer });
  }
  return true;
}

/** The key of a command list: its scope and language, as Telegram keeps them apart. */
function commandsKey(params: Params): string {
  const scope = optionalJson(params, 'scope', "can't parse BotCommandScope JSON object");
  const { type = 'default', chat_id = '', user_id = '' } = (scope ?? {}) as Record<string, unknown>;
  const language = optionalString(params, 'language_code') ?? '';
  return `${String(type)}:${String(chat_id)}:${String(user_id)}|${language}`;
}

function setMyCommands({ bot, params }: MethodContext): boolean {
  const value = optionalJson(params, 'commands', "can't parse commands JSON object");
  if (!Array.isArray(value)) throw badRequest("can't parse commands JSON object");
  if (value.length > 100) throw badRequest('too many commands');
  const commands: BotCommand[] = value.map((item) => {
    const { command, description } = (item ?? {}) as Record<string, unknown>;
    if (typeof command !== 'string' || !COMMAND.test(command)) {
      throw badRequest('BOT_COMMAND_INVALID');
    }
    if (typeof description !== 'string' || description.length < 1 || description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    return { command, description };
  });
  const key = commandsKey(params);
  if (commands.length === 0) bot.commands.delete(key);
  else bot.commands.set(key, commands);
  return true;
}

const getMyCommands: MethodHandler = ({ bot, params }) =>
  bot.commands.get(commandsKey(params)) ?? [];

function deleteMyCommands({ bot, params }: MethodContext): boolean {
  bot.commands.delete(commandsKey(params));
  return true;
}

function setChatMenuButton({ bot, params }: MethodContext): boolean {
  const button = optionalJson(params, 'menu_button', "can't parse menu button JSON object");
  if (button !== undefined && (!button || typeof button !== 'object')) {
    throw badRequest("can't parse menu button JSON object");
  }
  bot.menuButton = (button as Record<string, unknown> | undefined) ?? { type: 'default' };
  return true;
}

const getChatMenuButton: MethodHandler = ({ bot }) => bot.menuButton;

export const MISC_METHODS: Record<string, MethodHandler> = {
  answerCallbackQuery,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  setChatMenuButton,
  getChatMenuButton,
};

/** Default-scope commands of the last known token that has some (for the chat page). */
export function defaultCommands(
  bots: Iterable<{ commands: Map<string, BotCommand[]> }>,
): BotCommand[] {
  let found: BotCommand[] = [];
  for (const bot of bots) found = bot.commands.get('default::|') ?? found;
  return found;
}
