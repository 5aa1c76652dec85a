/**
 * `calendar.next`: the user's next event that they have not declined, with how long until
 * it starts. All-day events count only when no timed event comes within 7 days.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { AgendaEventSchema, eventsBetween, selectedCalendars } from './calendar-events.ts';
import { defineCapability } from './define-capability.ts';
import { resolveTimeZone } from './user-zone.ts';

/** "in 2 h 15 min", "in 45 min", "in 3 d 4 h", "now". */
export function humanStartsIn(minutes: number): string {
  if (minutes <= 0) return 'now';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `in ${days} d ${hours} h` : `in ${days} d`;
  if (hours > 0) return mins > 0 ? `in ${hours} h ${mins} min` : `in ${hours} h`;
  return `in ${mins} min`;
}

export const calendarNext = defineCapability({
  name: 'calendar.next',
  title: 'Next calendar event',
  description:
    "The user's next calendar event (not declined) from now, with minutes until it starts and " +
    'a readable "in 2 h 15 min". Timed events come first; an all-day event is given only when ' +
    'nothing timed happens within 7 days. event is null when the week ahead is empty.',
  scope: 'calendar',
  input: z.strictObject({}),
  output: z.object({
    timeZone: z.string(),
    event: AgendaEventSchema.extend({
      startsInMinutes: z.number(),
      startsIn: z.string(),
    }).nullable(),
  }),
  async handler(ctx) {
    const [zone, calendars] = await Promise.all([
      resolveTimeZone(ctx),
      selectedCalendars(ctx.google),
    ]);
    const now = DateTime.fromJSDate(ctx.now(), { zone });
    const events = await eventsBetween(ctx.google, calendars, now, now.plus({ days: 7 }), zone);
    const open = events.filter((e) => !e.event.declined);
    const next =
      open.find((e) => !e.event.allDay && e.startMs >= now.toMillis()) ??
      open.find((e) => e.event.allDay && e.startMs >= now.startOf('day').toMillis());
    if (!next) return { timeZone: zone, event: null };
    const minutes = Math.max(0, Math.ceil((next.startMs - now.toMillis()) / 60_000));
    const startsIn =
      next.event.allDay && next.startMs <= now.toMillis() ? 'today' : humanStartsIn(minutes);
    return { timeZone: zone, event: { ...next.event, startsInMinutes: minutes, startsIn } };
  },
});
