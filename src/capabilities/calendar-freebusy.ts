/**
 * `calendar.freebusy`: busy time across the selected calendars (one freeBusy query), the
 * free slots inside working hours, and, for "am I free at …", a direct answer with the
 * titles of the events in the way.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TidingsError } from '../errors.ts';
import type { GoogleApi } from '../google/index.ts';
import { eventsBetween, selectedCalendars } from './calendar-events.ts';
import { defineCapability } from './define-capability.ts';
import { freeSlots, mergeIntervals } from './free-slots.ts';
import type { Interval } from './free-slots.ts';
import { checkRange, IsoString, parseInstant } from './time-input.ts';
import { resolveTimeZone } from './user-zone.ts';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const SlotSchema = z.object({ start: z.string(), end: z.string() });

/** Whole seconds, the user's offset: `2026-11-25T10:07:00-05:00`, never milliseconds. */
function iso(ms: number, zone: string): string {
  const whole = Math.floor(ms / 1000) * 1000;
  return DateTime.fromMillis(whole, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
}

async function busyIntervals(
  google: GoogleApi,
  calendarIds: string[],
  from: DateTime,
  to: DateTime,
  zone: string,
): Promise<Interval[]> {
  const answer = await google.calendar.freeBusy({
    timeMin: from.toUTC().toISO({ suppressMilliseconds: true }) ?? '',
    timeMax: to.toUTC().toISO({ suppressMilliseconds: true }) ?? '',
    timeZone: zone,
    calendarIds,
  });
  const intervals = Object.values(answer.calendars ?? {}).flatMap((c) =>
    (c.busy ?? []).map((b) => ({
      startMs: Math.max(DateTime.fromISO(b.start).toMillis(), from.toMillis()),
      endMs: Math.min(DateTime.fromISO(b.end).toMillis(), to.toMillis()),
    })),
  );
  return mergeIntervals(intervals);
}

export const calendarFreebusy = defineCapability({
  name: 'calendar.freebusy',
  title: 'Busy times and free slots',
  description:
    'When the user is busy and free. Gives busy intervals across their calendars and free ' +
    'slots of at least minMinutes inside working hours (default 09:00–18:00, weekdays unless ' +
    'includeWeekends). With `at` (ISO date-time) it answers "am I free at …" directly, naming ' +
    'the events in the way during durationMinutes from then (default 1); from/to then default ' +
    "to that day. Without offsets, times mean the user's zone.",
  scope: 'calendar',
  input: z
    .strictObject({
      from: IsoString.optional(),
      to: IsoString.optional(),
      minMinutes: z
        .number()
        .int()
        .min(5)
        .max(24 * 60)
        .default(30),
      workingHours: z
        .strictObject({ start: HHMM, end: HHMM })
        .default({ start: '09:00', end: '18:00' }),
      includeWeekends: z.boolean().default(false),
      at: IsoString.optional(),
      /** How long the "am I free at" check covers, from `at` (default: the minute itself). */
      durationMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(1),
    })
    .superRefine((value, ctx) => {
      if (value.workingHours.end <= value.workingHours.start) {
        ctx.addIssue({
          code: 'custom',
          path: ['workingHours', 'end'],
          message: 'must be after start',
        });
      }
    }),
  output: z.object({
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    busy: z.array(SlotSchema),
    freeSlots: z.array(SlotSchema),
    freeAt: z
      .object({ at: z.string(), free: z.boolean(), conflicts: z.array(z.string()) })
      .optional(),
  }),
  async handler(ctx, input) {
    const [zone, calendars] = await Promise.all([
      resolveTimeZone(ctx),
      selectedCalendars(ctx.google),
    ]);
    const at = input.at === undefined ? null : parseInstant(input.at, zone);
    // Free time starts at the current minute, not at the current millisecond.
    const now = DateTime.fromJSDate(ctx.now(), { zone }).startOf('minute');
    const from = input.from ? parseInstant(input.from, zone) : (at?.startOf('day') ?? now);
    const end = at?.plus({ minutes: input.durationMinutes }) ?? null;
    const dayAfter = from.startOf('day').plus({ days: at ? 1 : 7 });
    const to = input.to
      ? parseInstant(input.to, zone, true)
      : end && end > dayAfter
        ? end
        : dayAfter;
    checkRange(from, to, 62);
    if (at && end && (at < from || end > to)) {
      throw new TidingsError('invalid_request', 'at must lie between from and to', { field: 'at' });
    }
    const ids = calendars.map((c) => c.id);
    const [busy, around] = await Promise.all([
      busyIntervals(ctx.google, ids, from, to, zone),
      at && end ? eventsBetween(ctx.google, calendars, at, end, zone) : Promise.resolve([]),
    ]);
    const slots = freeSlots(busy, {
      from,
      to,
      zone,
      workStart: input.workingHours.start,
      workEnd: input.workingHours.end,
      minMinutes: input.minMinutes,
      includeWeekends: input.includeWeekends,
    });
    const toSlot = (i: Interval) => ({ start: iso(i.startMs, zone), end: iso(i.endMs, zone) });
    const result = {
      timeZone: zone,
      from: iso(from.toMillis(), zone),
      to: iso(to.toMillis(), zone),
      busy: busy.map(toSlot),
      freeSlots: slots.map(toSlot),
    };
    if (!at || !end) return result;
    const atMs = at.toMillis();
    const endMs = end.toMillis();
    const conflicts = around
      .filter((e) => !e.event.declined && !e.transparent && e.startMs < endMs && atMs < e.endMs)
      .map((e) => e.event.title);
    const busyAt = busy.some((b) => b.startMs < endMs && atMs < b.endMs);
    return {
      ...result,
      freeAt: { at: iso(atMs, zone), free: !busyAt && conflicts.length === 0, conflicts },
    };
  },
});
