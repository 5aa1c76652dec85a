/**
 * Action items found in mail, as a numbered list: what is asked, by whom, by when, about
 * what (the subject, which `actions.extract` gives without "Re:" prefixes), and a button
 * per item to open the message it came from. Items are still open when extracted; one
 * whose deadline passes before it is shown reads "was due".
 */
import type { InlineKeyboardButton } from 'grammy/types';
import type { actionsExtract, CapabilityOutput } from '../../capabilities/index.ts';
import { bold, escapeHtml, formatWhen, italic, truncate } from './format/index.ts';
import type { Reply, View } from './reply.ts';

export type ActionsOutput = CapabilityOutput<typeof actionsExtract>;
type Action = ActionsOutput['actions'][number];

/** One action item as lines of HTML, without its number. */
export function actionLines(action: Action, view: View): string {
  const who = action.from ? action.from.name?.trim() || action.from.email : 'someone';
  const overdue = action.due !== null && Date.parse(action.due) < view.now.getTime();
  const due = action.due
    ? ` · ${overdue ? 'was due' : 'due'} ${escapeHtml(formatWhen(action.due, view))}${overdue ? ' ⚠️' : ''}`
    : '';
  const subject = action.subject.trim();
  const about = subject ? ` · re: ${escapeHtml(truncate(subject, 80))}` : '';
  return [
    escapeHtml(truncate(action.ask.replace(/\s+/g, ' ').trim(), 300)),
    `${italic(`from ${truncate(who, 60)}`)}${due}${about}`,
  ].join('\n');
}

export function renderActions(
  output: ActionsOutput,
  label: string,
  open: (messageId: string) => string,
  view: View,
): Reply {
  const v = { ...view, zone: output.timeZone };
  const heading = `✅ ${bold('To do')} (${escapeHtml(label)})`;
  if (output.actions.length === 0) {
    return { html: `${heading}\n\nNothing in your recent mail asks anything of you.` };
  }
  const shown = output.actions.slice(0, 10);
  const items = shown.map((a, i) => `${bold(`${i + 1}.`)} ${actionLines(a, v)}`);
  const row: InlineKeyboardButton[] = shown.map((a, i) => ({
    text: String(i + 1),
    callback_data: open(a.messageId),
  }));
  const buttons = [row.slice(0, 5), row.slice(5)].filter((r) => r.length > 0);
  return { html: `${heading}\n\n${items.join('\n\n')}`, buttons };
}
