/**
 * Spent connect buttons: every message the bot sends or edits with a connect (login)
 * button is noted for a while; once a Google account is connected, those buttons are
 * removed from the chat — the rest of each message's keyboard stays — so no old "Connect
 * Google" is left to press. An edit Telegram refuses (the message is gone, too old, or
 * already without them) is ignored; neither noting nor removing ever fails an answer.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { Logger } from '../../log.ts';
import type { Reply } from '../render/index.ts';
import type { TelegramStore } from '../store/index.ts';
import { loggableError } from '../transport/index.ts';

/** How long a message's connect buttons are remembered (their links live 10 minutes). */
export const CONNECT_BUTTONS_TTL_MS = 2 * 86_400_000;

interface Where {
  store: TelegramStore;
  logger: Logger;
  userId: string;
  chatId: number;
}

/** Whose chat a turn (`turn.ts` `Turn`) is in, as noting needs it. */
export function whereOf(turn: {
  services: { store: TelegramStore; logger: Logger };
  user: { id: string };
  chatId: number;
}): Where {
  const { store, logger } = turn.services;
  return { store, logger, userId: turn.user.id, chatId: turn.chatId };
}

function isConnectButton(button: InlineKeyboardButton): boolean {
  return 'login_url' in button;
}

/** The keyboard without its connect buttons: null when it had none, `[]` when none is left. */
export function withoutConnectButtons(
  buttons: InlineKeyboardButton[][] | undefined,
): InlineKeyboardButton[][] | null {
  const rows = buttons ?? [];
  if (!rows.some((row) => row.some(isConnectButton))) return null;
  return rows
    .map((row) => row.filter((button) => !isConnectButton(button)))
    .filter((row) => row.length > 0);
}

/**
 * Notes the connect buttons of a reply just sent or put in place of a message; a message
 * edited to show none any more is forgotten.
 */
export async function noteConnectButtons(
  where: Where,
  messageId: number,
  reply: Reply,
  replaced: boolean,
): Promise<void> {
  const rest = withoutConnectButtons(reply.buttons);
  try {
    if (rest) {
      await where.store.keepConnectButtons(
        where.userId,
        { chatId: where.chatId, messageId, keyboard: rest.length > 0 ? rest : null },
        CONNECT_BUTTONS_TTL_MS,
      );
    } else if (replaced) {
      await where.store.forgetConnectButtons(where.chatId, messageId);
    }
  } catch (error) {
    where.logger.warn({ err: loggableError(error) }, 'could not note a connect button');
  }
}

/** Removes the connect buttons of the user's earlier messages (an account is connected). */
export async function removeSpentConnectButtons(where: Where, api: Api): Promise<number> {
  let messages: Awaited<ReturnType<TelegramStore['takeConnectButtons']>>;
  try {
    messages = await where.store.takeConnectButtons(where.userId);
  } catch (error) {
    where.logger.warn({ err: loggableError(error) }, 'could not read the spent connect buttons');
    return 0;
  }
  let removed = 0;
  for (const message of messages) {
    const keyboard = Array.isArray(message.keyboard)
      ? (message.keyboard as InlineKeyboardButton[][])
      : null;
    try {
      await api.editMessageReplyMarkup(
        message.chatId,
        message.messageId,
        keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {},
      );
      removed += 1;
    } catch {
      // Too old to edit, deleted, or already without them: nothing is left to remove.
    }
  }
  return removed;
}
