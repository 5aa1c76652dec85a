/**
 * Bot API methods that write into a user's private chat: sendMessage, editMessageText,
 * editMessageReplyMarkup, deleteMessage and sendChatAction. They refuse chats the user
 * never opened (400 "chat not found") or blocked (403), validate text and markup like
 * Telegram, and apply flood control to new messages.
 */
import { BotApiError, badRequest, forbidden } from './bot-api-error.ts';
import type { MethodContext, MethodHandler } from './method-context.ts';
import { formatBotText } from './message-text.ts';
import type { BotText } from './message-text.ts';
import {
  optionalBoolean,
  optionalJson,
  optionalString,
  requireChatId,
  requireMessageId,
} from './params.ts';
import type { Params } from './params.ts';
import { validateReplyMarkup } from './reply-markup.ts';
import { messageOf } from './sandbox-state.ts';
import type { SandboxState } from './sandbox-state.ts';
import type { StoredMessage, TgLinkPreviewOptions, TgMessage, UserChat } from './types.ts';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/** The chat a bot may write to, or Telegram's refusal. */
function reachableChat(state: SandboxState, chatId: number): UserChat {
  const chat = state.chats.get(chatId);
  if (!chat) throw badRequest('chat not found');
  if (!chat.hasWritten) throw forbidden("bot can't initiate conversation with a user");
  if (chat.blocked) throw forbidden('bot was blocked by the user');
  return chat;
}

function readText(params: Params): BotText {
  return formatBotText(
    optionalString(params, 'text'),
    optionalString(params, 'parse_mode'),
    optionalJson(params, 'entities', "can't parse entities JSON object"),
  );
}

function readMarkup(state: SandboxState, params: Params): Record<string, unknown> | undefined {
  return validateReplyMarkup(
    optionalJson(params, 'reply_markup', "can't parse reply keyboard markup JSON object"),
    { loginDomain: state.settings.loginDomain },
  );
}

function readLinkPreview(params: Params): TgLinkPreviewOptions | undefined {
  const options = optionalJson(params, 'link_preview_options', "can't parse link preview options");
  if (options !== undefined) {
    if (!options || typeof options !== 'object')
      throw badRequest("can't parse link preview options");
    return options as TgLinkPreviewOptions;
  }
  return optionalBoolean(params, 'disable_web_page_preview') ? { is_disabled: true } : undefined;
}

function applyText(stored: StoredMessage, text: BotText): void {
  stored.text = text.text;
  stored.entities = text.entities;
  if (text.html !== undefined) stored.html = text.html;
  else delete stored.html;
}

function sendMessage({ state, bot, params }: MethodContext): TgMessage {
  const chatId = requireChatId(params);
  const chat = reachableChat(state, chatId);
  const text = readText(params);
  const markup = readMarkup(state, params);
  const preview = readLinkPreview(params);
  const retryAfter = state.flood.take(chatId);
  if (retryAfter !== undefined) {
    throw new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    });
  }
  chat.lastMessageId += 1;
  const stored: StoredMessage = {
    message_id: chat.lastMessageId,
    sender: 'bot',
    bot: bot.user,
    botToken: bot.token,
    date: state.unixNow(),
    text: '',
    entities: [],
    ...(markup ? { reply_markup: markup } : {}),
    ...(preview ? { link_preview_options: preview } : {}),
  };
  applyText(stored, text);
  chat.messages.push(stored);
  state.emit(chatId, { type: 'bot-message', message: stored });
  return messageOf(chat, stored);
}

function findBotMessage(context: MethodContext, missing: string): [UserChat, StoredMessage] {
  if (context.params.inline_message_id !== undefined) throw badRequest(missing);
  const chat = reachableChat(context.state, requireChatId(context.params));
  const messageId = requireMessageId(context.params);
  const stored = chat.messages.find((message) => message.message_id === messageId);
  if (!stored) throw badRequest(missing);
  if (stored.sender !== 'bot') throw badRequest("message can't be edited");
  return [chat, stored];
}

function sameMarkup(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function editMessageText(context: MethodContext): TgMessage {
  const [chat, stored] = findBotMessage(context, 'message to edit not found');
  const text = readText(context.params);
  const markup = readMarkup(context.state, context.params);
  const preview = readLinkPreview(context.params);
  if (
    stored.text === text.text &&
    sameMarkup(stored.entities, text.entities) &&
    sameMarkup(stored.reply_markup, markup)
  ) {
    throw badRequest(NOT_MODIFIED);
  }
  applyText(stored, text);
  if (markup) stored.reply_markup = markup;
  else delete stored.reply_markup;
  stored.botToken = context.bot.token;
  if (preview) stored.link_preview_options = preview;
  stored.edit_date = context.state.unixNow();
  context.state.emit(chat.user.id, { type: 'edit', message: stored });
  return messageOf(chat, stored);
}

function editMessageReplyMarkup(context: MethodContext): TgMessage {
  const [chat, stored] = findBotMessage(context, 'message to edit not found');
  const markup = readMarkup(context.state, context.params);
  if (markup && !('inline_keyboard' in markup)) throw badRequest('inline keyboard expected');
  if (sameMarkup(stored.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
  if (markup) stored.reply_markup = markup;
  else delete stored.reply_markup;
  stored.botToken = context.bot.token;
  context.state.emit(chat.user.id, { type: 'edit', message: stored });
  return messageOf(chat, stored);
}

function deleteMessage({ state, params }: MethodContext): boolean {
  const chat = state.chats.get(requireChatId(params));
  if (!chat) throw badRequest('chat not found');
  const messageId = requireMessageId(params);
  const index = chat.messages.findIndex((message) => message.message_id === messageId);
  if (index < 0) throw badRequest('message to delete not found');
  chat.messages.splice(index, 1);
  state.emit(chat.user.id, { type: 'delete', message_id: messageId });
  return true;
}

function sendChatAction({ state, params }: MethodContext): boolean {
  const chatId = requireChatId(params);
  const action = optionalString(params, 'action');
  if (!action || !CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  const chat = reachableChat(state, chatId);
  const record = { action, date: state.unixNow() };
  chat.actions.push(record);
  state.emit(chatId, { type: 'action', action: record });
  return true;
}

export const MESSAGE_METHODS: Record<string, MethodHandler> = {
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  sendChatAction,
};
