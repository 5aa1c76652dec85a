/**
 * One calendar event in full, for "open 2" after an agenda: title, day and time in the
 * user's zone, place, call link, which calendar, the user's answer, whether it repeats,
 * and a button to open it in Google Calendar. Titles and places come from invitations
 * and are escaped; links pass `link`'s scheme check.
 */
import type { AgendaEvent } from '../../capabilities/index.ts';
import { bold, escapeHtml, formatDayHeading, formatTimeRange, link } from './format/index.ts';
import type { Reply, View } from './reply.ts';

const ANSWERS: Readonly<Record<NonNullable<AgendaEvent['myResponse']>, string>> = {
  accepted: 'going',
  declined: 'declined',
  tentative: 'maybe',
  needsAction: 'not answered yet',
  organizer: 'you organise it',
};

function when(event: AgendaEvent, zone: string, locale: string): string {
  const day = formatDayHeading(event.start, zone, locale);
  const time = formatTimeRange(event.start, event.end, zone, locale);
  if (event.allDay && !event.multiDay) return `${day}, all day`;
  if (event.allDay) return time;
  return event.multiDay ? time : `${day}, ${time}`;
}

/** The event read in full; `zone` is the one its agenda was answered in. */
export function renderEvent(event: AgendaEvent, zone: string, view: View): Reply {
  const lines = [
    bold(event.title.trim() || '(no title)'),
    `🕒 ${escapeHtml(when(event, zone, view.locale))}`,
  ];
  if (event.location?.trim()) lines.push(`📍 ${escapeHtml(event.location.trim())}`);
  if (event.videoLink) lines.push(`🎥 ${link(event.videoLink, 'Join call')}`);
  lines.push(`📅 ${escapeHtml(event.calendarName)}${event.recurring ? ' · repeats' : ''}`);
  if (event.myResponse) lines.push(`Your answer: ${ANSWERS[event.myResponse]}`);
  const web = /^https?:\/\//.test(event.link);
  return {
    html: lines.join('\n'),
    ...(web ? { buttons: [[{ text: 'Open in Google Calendar', url: event.link }]] } : {}),
  };
}
