/**
 * Calendar answers as chat messages: an agenda (one day, or a range grouped by day),
 * "am I free at …", free slots, and the next event. Times are shown in the user's zone
 * and locale; titles and places come from invitations and are escaped. An agenda that
 * runs through the present marks the events already over "(ended)"; free time asked
 * about a moment or span already gone says so before offering what is left of today.
 */
import { DateTime } from 'luxon';
import type {
  AgendaEvent,
  CapabilityOutput,
  calendarAgenda,
  calendarFreebusy,
  calendarNext,
} from '../../capabilities/index.ts';
import {
  bold,
  escapeHtml,
  formatDayHeading,
  formatTimeRange,
  formatWhen,
  link,
} from './format/index.ts';
import { sentence } from './render-mail.ts';
import type { Reply, View } from './reply.ts';

export type AgendaOutput = CapabilityOutput<typeof calendarAgenda>;
export type FreebusyOutput = CapabilityOutput<typeof calendarFreebusy>;
export type NextOutput = CapabilityOutput<typeof calendarNext>;

/** True when the event is over at `now`: an all-day event once its last day has ended. */
function hasEnded(event: AgendaEvent, now: Date, zone: string): boolean {
  if (!event.allDay) return Date.parse(event.end) <= now.getTime();
  const today = DateTime.fromJSDate(now, { zone }).toISODate() ?? '';
  return event.end.localeCompare(today) <= 0;
}

function eventLine(event: AgendaEvent, view: View, markEnded = false): string {
  const time = formatTimeRange(event.start, event.end, view.zone, view.locale);
  const title = escapeHtml(event.title.trim() || '(no title)');
  const notes: string[] = [];
  if (event.declined) notes.push('declined');
  else if (event.myResponse === 'tentative') notes.push('maybe');
  else if (event.myResponse === 'needsAction') notes.push('not answered');
  if (markEnded && hasEnded(event, view.now, view.zone)) notes.push('ended');
  const suffix = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  const lines = [`${escapeHtml(time)}  ${event.declined ? `<s>${title}</s>` : title}${suffix}`];
  if (event.location?.trim()) lines.push(`   📍 ${escapeHtml(event.location.trim())}`);
  if (event.videoLink) lines.push(`   🎥 ${link(event.videoLink, 'Join call')}`);
  return lines.join('\n');
}

function localDay(iso: string, zone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return DateTime.fromISO(iso, { zone }).toISODate() ?? iso.slice(0, 10);
}

/** The agenda for `label` ("today", "Friday 6 March", "this week"). */
export function renderAgenda(output: AgendaOutput, label: string, view: View): Reply {
  const zone = output.timeZone;
  const v = { ...view, zone };
  const nowMs = view.now.getTime();
  // Only a range that runs through the present has events worth marking as over.
  const current = Date.parse(output.from) <= nowMs && nowMs < Date.parse(output.to);
  const line = (event: AgendaEvent) => eventLine(event, v, current);
  const fromDay = localDay(output.from, zone);
  const lastDay =
    DateTime.fromISO(output.to, { zone }).minus({ milliseconds: 1 }).toISODate() ?? fromDay;
  const oneDay = fromDay === lastDay;
  const heading = oneDay
    ? `📅 ${bold(sentence(label))} · ${escapeHtml(formatDayHeading(fromDay, zone, view.locale))}`
    : `📅 ${bold(sentence(label))}`;
  if (output.events.length === 0) return { html: `${heading}\n\nNothing on your calendar.` };
  if (oneDay) {
    return { html: `${heading}\n\n${output.events.map(line).join('\n')}` };
  }
  const days = new Map<string, AgendaEvent[]>();
  for (const event of output.events) {
    const start = localDay(event.start, zone);
    const day = start.localeCompare(fromDay) < 0 ? fromDay : start;
    days.set(day, [...(days.get(day) ?? []), event]);
  }
  const sections = [...days.entries()].map(
    ([day, events]) =>
      `${bold(formatDayHeading(day, zone, view.locale))}\n${events.map(line).join('\n')}`,
  );
  return { html: `${heading}\n\n${sections.join('\n\n')}` };
}

/** "Am I free at …". */
export function renderFreeAt(output: FreebusyOutput, label: string): Reply {
  const at = output.freeAt;
  if (!at) return { html: 'I could not check that time.' };
  if (at.free) return { html: `✅ You are free ${escapeHtml(label)}.` };
  const what =
    at.conflicts.length > 0
      ? at.conflicts.map((title) => bold(title.trim() || '(no title)')).join(', ')
      : 'something on your calendar';
  return { html: `❌ You are busy ${escapeHtml(label)}: ${what}.` };
}

/** A free/busy question about a time already gone: a moment ("today at 15:00") or a span. */
export interface Passed {
  label: string;
  moment: boolean;
}

/** "⌛ Today at 15:00 has passed (it is 19:00 now)." */
function passedLine(passed: Passed, view: View, zone: string): string {
  const now = DateTime.fromJSDate(view.now, { zone }).setLocale(view.locale);
  const time = now.toLocaleString(DateTime.TIME_SIMPLE).replace(/[\u202f\u2009\u00a0]/g, ' ');
  const verb = passed.moment ? 'has passed' : 'is over';
  return `⌛ ${escapeHtml(`${sentence(passed.label)} ${verb} (it is ${time} now).`)}`;
}

/**
 * Free slots in a range, grouped by day; with `passed`, first the sentence that the time
 * asked about is gone (the slots are then what is left of today).
 */
export function renderFreeSlots(
  output: FreebusyOutput,
  label: string,
  minMinutes: number,
  view: View,
  passed?: Passed,
): Reply {
  const zone = output.timeZone;
  const intro = passed ? `${passedLine(passed, view, zone)}\n\n` : '';
  const heading = `${intro}🟢 ${bold(`Free time ${label}`)}`;
  if (output.freeSlots.length === 0) {
    return {
      html: `${heading}\n\nNo free slot of ${minMinutes} min or more inside working hours.`,
    };
  }
  const days = new Map<string, string[]>();
  for (const slot of output.freeSlots) {
    const day = localDay(slot.start, zone);
    days.set(day, [
      ...(days.get(day) ?? []),
      formatTimeRange(slot.start, slot.end, zone, view.locale),
    ]);
  }
  const lines = [...days.entries()].map(
    ([day, ranges]) =>
      `${bold(formatDayHeading(day, zone, view.locale))}: ${escapeHtml(ranges.join(', '))}`,
  );
  return { html: `${heading}\n\n${lines.join('\n')}` };
}

/** The next event. */
export function renderNext(output: NextOutput, view: View): Reply {
  const event = output.event;
  if (!event) return { html: '⏭ Nothing on your calendar in the next 7 days.' };
  const v = { ...view, zone: output.timeZone };
  // Within the hour the capability's own count is the only one shown: the reply is
  // rendered a moment after it was counted, and two clocks would say "in 41 min (in 42 min)".
  const withinHour = !event.allDay && event.startsInMinutes < 60;
  const when = event.allDay
    ? `${formatDayHeading(event.start, v.zone, v.locale)}, all day`
    : withinHour
      ? event.startsIn
      : formatWhen(event.start, v);
  const soon = event.startsIn !== when && !event.allDay ? ` (${event.startsIn})` : '';
  return {
    html: `⏭ ${bold('Next')}, ${escapeHtml(when + soon)}:\n\n${eventLine(event, v)}`,
  };
}
