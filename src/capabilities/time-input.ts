/**
 * Reading the date and time strings capabilities accept: ISO 8601 with or without an
 * offset (without one it means the user's zone), or a plain `YYYY-MM-DD` day.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TidingsError } from '../errors.ts';

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A string that Luxon can read as an ISO date or date-time. */
export const IsoString = z
  .string()
  .max(40)
  .refine(
    (s) => DateTime.fromISO(s, { setZone: true }).isValid,
    'not an ISO 8601 date or date-time',
  );

export const DayString = z
  .string()
  .regex(DATE_ONLY, 'expected YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s).isValid, 'not a calendar day');

/**
 * An instant in the user's zone. A bare day is that day's start, or, for the end of a
 * range (`endOfRange`), the start of the next day, so `to: 2026-11-27` includes the 27th.
 */
export function parseInstant(value: string, zone: string, endOfRange = false): DateTime {
  const dt = DateTime.fromISO(value, { zone });
  return DATE_ONLY.test(value) && endOfRange ? dt.plus({ days: 1 }) : dt;
}

/** Checks a range is forward and at most `maxDays` long. */
export function checkRange(from: DateTime, to: DateTime, maxDays: number): void {
  if (to <= from)
    throw new TidingsError('invalid_request', 'to must be after from', { field: 'to' });
  if (to.diff(from, 'days').days > maxDays) {
    throw new TidingsError('invalid_request', `the range may span at most ${maxDays} days`, {
      field: 'to',
    });
  }
}
