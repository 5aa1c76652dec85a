/**
 * The daily briefing in one message: today's agenda, the unread count and the action
 * items. Each part is the capability's answer, or the sentence for why it is missing, so
 * one failing part (say, a Gmail-only grant) does not hide the others.
 */
import { bold, escapeHtml, formatDayHeading, formatTimeRange } from './format/index.ts';
import { actionLines } from './render-actions.ts';
import type { ActionsOutput } from './render-actions.ts';
import type { AgendaOutput } from './render-calendar.ts';
import type { UnreadOutput } from './render-mail.ts';
import type { Reply, View } from './reply.ts';

/** A part's answer, or a plain sentence saying why it is missing. */
export type Part<T> = { ok: true; value: T } | { ok: false; sentence: string };

export interface BriefingParts {
  name: string;
  agenda: Part<AgendaOutput>;
  unread: Part<UnreadOutput>;
  actions: Part<ActionsOutput>;
}

function agendaSection(part: Part<AgendaOutput>, view: View): string {
  if (!part.ok) return escapeHtml(part.sentence);
  const events = part.value.events.filter((e) => !e.declined);
  if (events.length === 0) return 'Nothing on your calendar.';
  return events
    .map(
      (e) =>
        `${escapeHtml(formatTimeRange(e.start, e.end, part.value.timeZone, view.locale))}  ${escapeHtml(e.title.trim() || '(no title)')}`,
    )
    .join('\n');
}

function unreadSection(part: Part<UnreadOutput>): string {
  if (!part.ok) return escapeHtml(part.sentence);
  const n = part.value.inbox.unreadMessages;
  return n === 0 ? 'No unread mail in your inbox.' : `${n} unread in your inbox.`;
}

function actionsSection(part: Part<ActionsOutput>, view: View): string {
  if (!part.ok) return escapeHtml(part.sentence);
  const actions = part.value.actions.slice(0, 5);
  if (actions.length === 0) return 'Nothing asks for your attention.';
  const v = { ...view, zone: part.value.timeZone };
  return actions.map((a) => `• ${actionLines(a, v)}`).join('\n');
}

export function renderBriefing(parts: BriefingParts, view: View): Reply {
  const zone = parts.agenda.ok ? parts.agenda.value.timeZone : view.zone;
  const today = formatDayHeading(view.now.toISOString(), zone, view.locale);
  return {
    html: [
      `☀️ ${bold(`Your briefing, ${parts.name}`)} · ${escapeHtml(today)}`,
      `${bold('Today')}\n${agendaSection(parts.agenda, view)}`,
      `${bold('Mail')}\n${unreadSection(parts.unread)}`,
      `${bold('To do')}\n${actionsSection(parts.actions, view)}`,
    ].join('\n\n'),
  };
}
