/**
 * The unread mail of the inbox as a chat message: the newest first, each numbered with who
 * sent it, its subject and how long ago ("2 h ago", "yesterday"), with buttons to open each
 * and to page, like any mail page; then the totals. Label counts overlap (a message can
 * carry several labels, and a label holds mail outside the inbox too), so they are shown
 * for what they are and never added up. Senders and subjects are untrusted and escaped.
 */
import { DateTime } from 'luxon';
import { isValidZoneName } from '../../intent/index.ts';
import { bold, escapeHtml, truncate } from './format/index.ts';
import { pageKeyboard, sender } from './render-mail.ts';
import type { MailPageButtons, SearchOutput, UnreadOutput } from './render-mail.ts';
import type { Reply, View } from './reply.ts';

export const UNREAD_HEADING = `📥 ${bold('Unread in your inbox')}`;
export const INBOX_ZERO = 'Inbox zero: no unread mail in your inbox. 🎉';
/** The labels named after the totals, at most. */
const MAX_LABELS = 6;

/** How long ago a message came: "just now", "25 min ago", "2 h ago", "yesterday", "3 days ago", "24 Feb". */
export function ageOf(iso: string | null, view: View): string {
  if (!iso) return 'no date';
  const zone = isValidZoneName(view.zone) ? view.zone : 'UTC';
  const at = DateTime.fromISO(iso, { zone }).setLocale(view.locale);
  const now = DateTime.fromJSDate(view.now, { zone }).setLocale(view.locale);
  if (!at.isValid) return 'no date';
  const minutes = Math.floor(now.diff(at, 'minutes').minutes);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const days = Math.round(now.startOf('day').diff(at.startOf('day'), 'days').days);
  if (days === 0 || minutes < 6 * 60) return `${Math.floor(minutes / 60)} h ago`;
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return at
    .toLocaleString({
      day: 'numeric',
      month: 'short',
      ...(at.year !== now.year ? { year: 'numeric' } : {}),
    })
    .replace(/[\u202f\u2009\u00a0]/g, ' ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The totals, after the list: the inbox's own counts, then labels as they are. */
export function unreadTotals(counts: UnreadOutput): string {
  const { unreadMessages, unreadThreads } = counts.inbox;
  const lines = [
    `${bold(plural(unreadMessages, 'unread message', 'unread messages'))} in your inbox, in ${plural(unreadThreads, 'conversation', 'conversations')}.`,
  ];
  const labels = counts.labels.filter((l) => l.id !== 'INBOX');
  if (labels.length > 0) {
    const named = labels
      .slice(0, MAX_LABELS)
      .map((l) => `${escapeHtml(truncate(l.name, 40))} ${l.unread}`);
    const more = labels.length > MAX_LABELS ? ', …' : '';
    lines.push(
      `Unread by label: ${named.join(', ')}${more} (a message can carry several labels, so these overlap).`,
    );
  }
  return lines.join('\n');
}

/**
 * A page of the unread list; `first` is the number of its first message, `counts` the
 * totals shown after it (the first page) or null.
 */
export function renderUnreadPage(
  output: SearchOutput,
  first: number,
  buttons: MailPageButtons,
  view: View,
  counts: UnreadOutput | null,
): Reply {
  if (output.messages.length === 0) {
    const back = buttons.back ? [[{ text: '‹ Back', callback_data: buttons.back }]] : null;
    if (first > 1) {
      return {
        html: `${UNREAD_HEADING}\n\nNo more unread messages.`,
        ...(back ? { buttons: back } : {}),
      };
    }
    return { html: INBOX_ZERO };
  }
  const items = output.messages.map((m, i) => {
    const subject = truncate(m.subject.trim() || '(no subject)', 120);
    return [
      `${bold(`${first + i}.`)} ${bold(truncate(sender(m.from), 60))} · ${escapeHtml(ageOf(m.date, view))}`,
      escapeHtml(subject),
    ].join('\n');
  });
  const parts = [UNREAD_HEADING, items.join('\n\n')];
  if (counts) parts.push(unreadTotals(counts));
  return { html: parts.join('\n\n'), buttons: pageKeyboard(output, first, buttons) };
}
