/**
 * How a chat is shown outside the Bot API: the inbox (what the bot sent, oldest first,
 * deleted messages gone, edits in place) and the transcript items the web chat renders.
 */
import type { StoredMessage, TgLinkPreviewOptions, TgMessageEntity, UserChat } from './types.ts';

export interface InboxItem {
  message_id: number;
  text: string;
  html?: string;
  reply_markup?: Record<string, unknown>;
  link_preview_options?: TgLinkPreviewOptions;
  date: number;
  edited?: true;
}

export interface TranscriptItem {
  message_id: number;
  from: 'user' | 'bot';
  text: string;
  entities: TgMessageEntity[];
  reply_markup?: Record<string, unknown>;
  date: number;
  edited?: true;
}

export function inboxItem(message: StoredMessage): InboxItem {
  return {
    message_id: message.message_id,
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    ...(message.link_preview_options ? { link_preview_options: message.link_preview_options } : {}),
    date: message.date,
    ...(message.edit_date !== undefined ? { edited: true as const } : {}),
  };
}

export function inboxOf(chat: UserChat | undefined): InboxItem[] {
  return (chat?.messages ?? []).filter((m) => m.sender === 'bot').map(inboxItem);
}

export function transcriptItem(message: StoredMessage): TranscriptItem {
  return {
    message_id: message.message_id,
    from: message.sender,
    text: message.text,
    entities: message.entities,
    ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    date: message.date,
    ...(message.edit_date !== undefined ? { edited: true as const } : {}),
  };
}
