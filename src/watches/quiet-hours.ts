/**
 * Quiet hours: a daily span in the user's zone (`22:00`–`07:00` crosses midnight) when
 * alerts wait and then arrive as one digest.
 */
import { DateTime } from 'luxon';

export interface QuietHours {
  /** `HH:MM`, local. */
  from: string;
  to: string;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM`, or null when it is not a time of day. */
export function minutesOf(clock: string): number | null {
  const match = CLOCK.exec(clock);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Whether it is quiet at `at` in `zone` (never when `quiet` is unset or equal ends). */
export function isQuiet(quiet: QuietHours | null | undefined, zone: string, at: Date): boolean {
  if (!quiet) return false;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === null || to === null || from === to) return false;
  const zoned = DateTime.fromJSDate(at, { zone });
  const local = zoned.isValid ? zoned : DateTime.fromJSDate(at, { zone: 'UTC' });
  const now = local.hour * 60 + local.minute;
  return from < to ? now >= from && now < to : now >= from || now < to;
}
