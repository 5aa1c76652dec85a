/**
 * `calendar.agenda`: the user's events for a day or a range (max 62 days), recurring
 * events expanded, across every selected calendar, in the user's time zone.
 */
import { z } from 'zod';
import { defineCapability } from './define-capability.ts';
import { AgendaEventSchema, eventsBetween, selectedCalendars } from './calendar-events.ts';
import { checkRange, DayString, IsoString, parseInstant } from './time-input.ts';
import { resolveTimeZone } from './user-zone.ts';

export const calendarAgenda = defineCapability({
  name: 'calendar.agenda',
  title: 'Calendar agenda',
  description:
    'The user\'s calendar events for one day ({day: "YYYY-MM-DD"}) or a range ({from, to} as ISO ' +
    "dates or date-times; without an offset they mean the user's time zone; at most 62 days). " +
    "Recurring meetings are expanded; each event says whether it is all-day, the user's " +
    'response (declined events are included and marked), location and video link.',
  scope: 'calendar',
  input: z
    .strictObject({
      day: DayString.optional(),
      from: IsoString.optional(),
      to: IsoString.optional(),
    })
    .superRefine((value, ctx) => {
      if (value.day !== undefined && (value.from !== undefined || value.to !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['day'], message: 'give either day or from/to' });
      } else if (value.day === undefined && value.from === undefined) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'give day, or from and to' });
      } else if (value.day === undefined && value.to === undefined) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'give day, or from and to' });
      }
    }),
  output: z.object({
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    events: z.array(AgendaEventSchema),
  }),
  async handler(ctx, input) {
    const [zone, calendars] = await Promise.all([
      resolveTimeZone(ctx),
      selectedCalendars(ctx.google),
    ]);
    const from = parseInstant(input.day ?? input.from ?? '', zone);
    const to = input.day ? from.plus({ days: 1 }) : parseInstant(input.to ?? '', zone, true);
    checkRange(from, to, 62);
    const events = await eventsBetween(ctx.google, calendars, from, to, zone);
    return {
      timeZone: zone,
      from: from.toISO({ suppressMilliseconds: true }) ?? '',
      to: to.toISO({ suppressMilliseconds: true }) ?? '',
      events: events.map((e) => e.event),
    };
  },
});
