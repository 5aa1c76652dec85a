/**
 * Reading the date and time strings capabilities accept: a plain `YYYY-MM-DD` day, or a
 * date-time `YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM]` (without an offset it means the
 * user's zone). Nothing else ISO 8601 allows (week dates, ordinal dates, expanded years)
 * is accepted, and years outside 1970–2100 are refused here, naming the field, rather
 * than sent to Google.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TidingsError } from '../errors.ts';

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?$/;

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;

function inYears(value: string): boolean {
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM]`, a real instant, 1970–2100. */
export const IsoString = z
  .string()
  .max(40)
  .refine(
    (s) =>
      (DATE_ONLY.test(s) || DATE_TIME.test(s)) && DateTime.fromISO(s, { setZone: true }).isValid,
    'expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]',
  )
  .refine(inYears, `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`);

export const DayString = z
  .string()
  .regex(DATE_ONLY, 'expected YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s).isValid, 'not a calendar day')
  .refine(inYears, `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`);

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
