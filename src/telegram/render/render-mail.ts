/**
 * Mail as chat messages: a page of search results (numbered, with buttons to open each
 * message and to page) and one message read in full (with an "Open in Gmail" button).
 * Every subject, name, snippet and body is untrusted and escaped.
 */
import type { InlineKeyboardButton } from 'grammy/types';
import type {
  CapabilityOutput,
  gmailRead,
  gmailSearch,
  gmailUnread,
} from '../../capabilities/index.ts';
import { blockquote, bold, escapeHtml, formatWhen, italic, truncate } from './format/index.ts';
import type { Reply, View } from './reply.ts';

export type SearchOutput = CapabilityOutput<typeof gmailSearch>;
export type ReadOutput = CapabilityOutput<typeof gmailRead>;
export type UnreadOutput = CapabilityOutput<typeof gmailUnread>;
type Address = { name: string | null; email: string } | null;

export function sentence(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Who a message is from, as the chat names them. */
export function sender(address: Address): string {
  if (!address) return 'unknown sender';
  return address.name?.trim() || address.email;
}

function fullAddress(address: NonNullable<Address>): string {
  return address.name?.trim() ? `${address.name.trim()} <${address.email}>` : address.email;
}

function when(date: string | null, view: View): string {
  return date ? formatWhen(date, view) : 'no date';
}

export interface MailPageButtons {
  /** Callback data that opens a message. */
  open(messageId: string): string;
  /** Callback data of the next page, when there is one. */
  next: string | null;
  /** Callback data of the previous page, when there is one. */
  back: string | null;
}

/** One page of `gmail.search` results; `first` is the number of the first result. */
export function renderMailPage(
  output: SearchOutput,
  label: string,
  first: number,
  buttons: MailPageButtons,
  view: View,
): Reply {
  const heading = bold(sentence(label));
  if (output.messages.length === 0) {
    return {
      html: `${heading}\n\n${first === 1 ? 'Nothing found.' : 'No more messages.'}`,
      ...(buttons.back ? { buttons: [[{ text: '‹ Back', callback_data: buttons.back }]] } : {}),
    };
  }
  const items = output.messages.map((m, i) => {
    const subject = truncate(m.subject.trim() || '(no subject)', 120);
    const marker = m.unread ? '● ' : '';
    const lines = [
      `${bold(`${first + i}.`)} ${marker}${bold(subject)}`,
      `${escapeHtml(truncate(sender(m.from), 60))} · ${escapeHtml(when(m.date, view))}`,
    ];
    const snippet = truncate(m.snippet.replace(/\s+/g, ' ').trim(), 140);
    if (snippet) lines.push(italic(snippet));
    return lines.join('\n');
  });
  return {
    html: `${heading}\n\n${items.join('\n\n')}`,
    buttons: pageKeyboard(output, first, buttons),
  };
}

/** A button per message, numbered as listed, then "‹ Back" and "More ›" when they apply. */
export function pageKeyboard(
  output: SearchOutput,
  first: number,
  buttons: MailPageButtons,
): InlineKeyboardButton[][] {
  const openRow: InlineKeyboardButton[] = output.messages.map((m, i) => ({
    text: String(first + i),
    callback_data: buttons.open(m.id),
  }));
  const navRow: InlineKeyboardButton[] = [
    ...(buttons.back ? [{ text: '‹ Back', callback_data: buttons.back }] : []),
    ...(buttons.next ? [{ text: 'More ›', callback_data: buttons.next }] : []),
  ];
  return navRow.length > 0 ? [openRow, navRow] : [openRow];
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A message (or the messages of a thread) read in full. */
export function renderMessage(output: ReadOutput, view: View): Reply {
  const parts = output.messages.map((m) => {
    const lines = [bold(m.subject.trim() || '(no subject)')];
    if (m.from) lines.push(`From: ${escapeHtml(fullAddress(m.from))}`);
    if (m.to.length > 0) lines.push(`To: ${escapeHtml(m.to.map(fullAddress).join(', '))}`);
    if (m.cc.length > 0) lines.push(`Cc: ${escapeHtml(m.cc.map(fullAddress).join(', '))}`);
    lines.push(`Date: ${escapeHtml(when(m.date, view))}`);
    for (const a of m.attachments) {
      lines.push(`📎 ${escapeHtml(a.filename || 'attachment')} (${size(a.size)})`);
    }
    const body = m.body.trim();
    lines.push('', body ? blockquote(body) : italic('(no text)'));
    return lines.join('\n');
  });
  const last = output.messages.at(-1);
  return {
    html: parts.join('\n\n') || 'Nothing to show.',
    ...(last ? { buttons: [[{ text: 'Open in Gmail', url: last.link }]] } : {}),
  };
}
