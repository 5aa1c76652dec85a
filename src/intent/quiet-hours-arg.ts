/**
 * The argument of `/quiet`: a span of the day as `22:00-07:00` (also `22:00–07:00`,
 * `22:00 to 07:00`, `7:00`), or `off`. Times are the user's own, `HH:MM` on a 24-hour clock.
 */
import { normalizeText } from './text-normalize.ts';

export type QuietHoursArg = { kind: 'off' } | { kind: 'span'; from: string; to: string };

const CLOCK = String.raw`([01]?\d|2[0-3])[:.h]([0-5]\d)`;
const SPAN = new RegExp(`^${CLOCK}\\s*(?:-|–|—|to|until|till)\\s*${CLOCK}$`);

const pad = (hour: string, minute: string) => `${hour.padStart(2, '0')}:${minute}`;

/** The quiet hours asked for; null when the argument is not a span of two different times. */
export function parseQuietHours(arg: string): QuietHoursArg | null {
  const text = normalizeText(arg.slice(0, 100));
  if (/^(?:off|none|no|stop|disable|disabled|never|clear)$/.test(text)) return { kind: 'off' };
  const m = SPAN.exec(text);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  const from = pad(m[1], m[2]);
  const to = pad(m[3], m[4]);
  return from === to ? null : { kind: 'span', from, to };
}
