/**
 * Parsers for command arguments: `/agenda <day>`, `/free <when>` and
 * `/briefing <HH:MM|off>`. Each answers null when the argument is not understood, so the
 * bot can reply with usage help instead of guessing.
 */
import { findDayPhrase } from './day-phrases.ts';
import { resolveFree } from './free-time.ts';
import type { DateRange, FreeAtIntent, FreeSlotsIntent, RouteContext } from './intent.ts';
import { isoOf, localNow } from './local-time.ts';
import { normalizeText, withoutTrailingPunctuation } from './text-normalize.ts';

const FILLER = new Set([
  'on',
  'the',
  'for',
  'at',
  'in',
  'of',
  'a',
  'an',
  'am',
  'i',
  'free',
  'busy',
  'is',
  'are',
  'me',
  'my',
  'agenda',
  'calendar',
  'day',
  'slot',
  'slots',
  'and',
  'from',
  'until',
  'to',
  'any',
]);

/** True when nothing but filler words is left once the understood spans are removed. */
function fullyUnderstood(text: string, spans: Array<[number, number]>): boolean {
  let rest = text;
  for (const [start, end] of spans)
    rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
  return rest
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .every((word) => FILLER.has(word));
}

/** `/agenda <day>`: '' (today), 'friday', '2026-03-06', 'tomorrow', 'next week', '5/3'… */
export function parseDayArg(arg: string, ctx: RouteContext): DateRange | null {
  const text = withoutTrailingPunctuation(normalizeText(arg));
  if (text === '') {
    const today = localNow(ctx).startOf('day');
    return { from: isoOf(today), to: isoOf(today.plus({ days: 1 })), label: 'today' };
  }
  const phrase = findDayPhrase(text, ctx);
  if (!phrase || !fullyUnderstood(text, phrase.spans)) return null;
  return { from: isoOf(phrase.from), to: isoOf(phrase.to), label: phrase.label };
}

/** `/free <when>`: 'tomorrow at 3' → free_at; 'friday', '' → free_slots. */
export function parseWhenArg(
  arg: string,
  ctx: RouteContext,
): FreeAtIntent | FreeSlotsIntent | null {
  const text = withoutTrailingPunctuation(normalizeText(arg));
  const { intent, spans } = resolveFree(text, ctx);
  return fullyUnderstood(text, spans) ? intent : null;
}

export type BriefingTime =
  | { kind: 'off' }
  | { kind: 'at'; hour: number; minute: number /** "07:30" */; time: string };

/** `/briefing <time|off>`: '07:30', '7:30', '0730', '7am', '7.30pm', '19h' or 'off'. */
export function parseBriefingTime(arg: string): BriefingTime | null {
  const text = normalizeText(arg);
  if (/^(?:off|none|no|stop|disable|disabled|never)$/.test(text)) return { kind: 'off' };
  const m = /^(\d{1,2})(?:(?:[:.h]?)(\d{2}))?\s*(?:h|([ap])\.?m\.?)?$/.exec(text);
  if (!m?.[1]) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  if (m[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[3] === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return { kind: 'at', hour, minute, time };
}
