/**
 * What a handler answers, and how it reaches the chat: HTML parse mode, split under
 * Telegram's length limit (the buttons go with the last part), link previews always off
 * (replies quote mail and calendar invites, which are untrusted and full of links).
 *
 * Every reply passes `visible` on its way out, the one point where invisible characters
 * are removed from all of it (subjects, names, addresses, bodies, attachment names,
 * event titles and places, button labels): bidirectional overrides, embeddings and
 * isolates, zero-width and other format characters, tag characters, and control
 * characters but line breaks and tabs. A right-to-left override in a file name cannot
 * turn "gnp.exe" into "exe.png" here. The definition is the agent tools' `neutralise`,
 * so the bot and the agent tools remove the same characters.
 */
import type { Api } from 'grammy';
import { GrammyError } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { neutralise } from '../../agent-tools/index.ts';
import { escapeHtml, splitMessage } from './format/index.ts';

export interface Reply {
  /** Valid Telegram HTML: every piece of user or mail text escaped. */
  html: string;
  buttons?: InlineKeyboardButton[][];
}

const NO_PREVIEW = { is_disabled: true } as const;

/** The reply as Telegram gets it: no invisible character in its text or button labels. */
export function visible(reply: Reply): Reply {
  return {
    html: neutralise(reply.html),
    ...(reply.buttons
      ? {
          buttons: reply.buttons.map((row) =>
            row.map((button) => ({ ...button, text: neutralise(button.text) })),
          ),
        }
      : {}),
  };
}

function markup(reply: Reply) {
  return reply.buttons && reply.buttons.length > 0
    ? { reply_markup: { inline_keyboard: reply.buttons } }
    : {};
}

/** Sends a reply, in as many messages as it needs; answers the id of the last one. */
export async function sendReply(api: Api, chatId: number, given: Reply): Promise<number> {
  const reply = visible(given);
  const parts = splitMessage(reply.html);
  let last = 0;
  for (const [index, part] of parts.entries()) {
    const message = await api.sendMessage(chatId, part, {
      parse_mode: 'HTML',
      link_preview_options: NO_PREVIEW,
      ...(index === parts.length - 1 ? markup(reply) : {}),
    });
    last = message.message_id;
  }
  return last;
}

/**
 * Replaces a message in place when the reply fits in one message; else sends it anew. An
 * edit that changes nothing (a double tap) is a success. Answers the id of the message
 * that now shows the reply (the last one, when sent anew).
 */
export async function replaceReply(
  api: Api,
  chatId: number,
  messageId: number,
  given: Reply,
): Promise<number> {
  const reply = visible(given);
  const parts = splitMessage(reply.html);
  if (parts.length !== 1) return sendReply(api, chatId, reply);
  try {
    await api.editMessageText(chatId, messageId, reply.html, {
      parse_mode: 'HTML',
      link_preview_options: NO_PREVIEW,
      ...markup(reply),
    });
  } catch (error) {
    // A second tap on the same button asks for what the message already shows.
    if (!isNotModified(error)) throw error;
  }
  return messageId;
}

/** Telegram's 400 for an edit that would leave the message as it is. */
export function isNotModified(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    error.description.includes('message is not modified')
  );
}

/** A reply of plain text, escaped. */
export function plain(text: string, buttons?: InlineKeyboardButton[][]): Reply {
  return { html: escapeHtml(text), ...(buttons ? { buttons } : {}) };
}

/** Where and how a reply shows times: the user's zone and locale, and the current instant. */
export interface View {
  zone: string;
  locale: string;
  now: Date;
}
