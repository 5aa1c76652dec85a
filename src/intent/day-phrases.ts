/**
 * Finds the day or span a message talks about ("tomorrow afternoon", "next Tuesday",
 * "the weekend", "on March 5", "5/3", "in 3 days") and resolves it to a half-open range
 * in the user's zone. Relative words are resolved with Luxon; explicit dates are found by
 * chrono-node, of which only the day, month and year are used, so its process-zone
 * arithmetic never touches the result. Today's own weekday name means today, unless what
 * it asks about is over ("friday afternoon" on Friday evening is next Friday's).
 */
import * as chrono from 'chrono-node';
import type { DateTime } from 'luxon';
import type { RouteContext } from './intent.ts';
import { likelyDate, dayLabel, isDayFirst, localNow, startOfWeek } from './local-time.ts';
import { COUNT_PATTERN, parseCount } from './numbers.ts';

export type PartOfDay = 'morning' | 'afternoon' | 'evening';

export interface DayMatch {
  from: DateTime;
  to: DateTime;
  label: string;
  /** 00:00 of the single day the phrase names, or null for a span such as "this week". */
  day: DateTime | null;
  /** Where the phrase sits in the text, to remove it before other parsing. */
  spans: Array<[number, number]>;
  /**
   * For a weekday name that is today ("friday" on a Friday): the same day next week, which
   * is the day meant when the time asked about has already passed today.
   */
  sameDayNextWeek?: DateTime;
}

const WEEKDAY_NAMES: Record<string, number> = {
  monday: 1,
  mon: 1,
  tuesday: 2,
  tues: 2,
  tue: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thurs: 4,
  thur: 4,
  thu: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
};
export const WEEKDAY_PATTERN =
  'monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun';
const COUNT = COUNT_PATTERN;
const PARTS: Record<PartOfDay, [number, number]> = {
  morning: [6, 12],
  afternoon: [12, 18],
  evening: [18, 24],
};

/** The weekday number (1 = Monday … 7 = Sunday) of a name or abbreviation. */
export function weekdayNumber(name: string): number | undefined {
  return WEEKDAY_NAMES[name];
}

function window(day: DateTime, part: PartOfDay): [DateTime, DateTime] {
  const [start, end] = PARTS[part];
  return [day.set({ hour: start }), end === 24 ? day.plus({ days: 1 }) : day.set({ hour: end })];
}

function partIn(text: string): { part: PartOfDay; word: string; span: [number, number] } | null {
  const m = /\b(?:in the\s+)?(morning|afternoon|evening|night)\b/.exec(text);
  if (!m?.[1]) return null;
  const word = m[1];
  const part: PartOfDay = word === 'night' ? 'evening' : (word as PartOfDay);
  return { part, word, span: [m.index, m.index + m[0].length] };
}

function span(m: RegExpExecArray): [number, number] {
  return [m.index, m.index + m[0].length];
}

/** A whole day, narrowed to a part of it when the text names one. */
function dayMatch(
  text: string,
  day: DateTime,
  label: string,
  phrase: [number, number],
  partLabel: (word: string) => string,
): DayMatch {
  const part = partIn(text);
  if (!part) return { from: day, to: day.plus({ days: 1 }), label, day, spans: [phrase] };
  const [from, to] = window(day, part.part);
  return { from, to, label: partLabel(part.word), day, spans: [phrase, part.span] };
}

function namedDay(text: string, today: DateTime): DayMatch | null {
  let m = /\b(?:the\s+)?day after tomorrow\b/.exec(text);
  if (m) {
    const day = today.plus({ days: 2 });
    return dayMatch(text, day, dayLabel(day), span(m), (w) => `${dayLabel(day)} ${w}`);
  }
  m = /\btonight\b|\bthis\s+(morning|afternoon|evening)\b/.exec(text);
  if (m) {
    const part: PartOfDay = (m[1] as PartOfDay | undefined) ?? 'evening';
    const [from, to] = window(today, part);
    return { from, to, label: m[1] ? `this ${m[1]}` : 'tonight', day: today, spans: [span(m)] };
  }
  m = /\b(today|tonite|tomorrow|tmrw|tmr|yesterday)\b/.exec(text);
  if (m?.[1]) {
    const word = m[1] === 'tmrw' || m[1] === 'tmr' ? 'tomorrow' : m[1];
    const offset = word === 'tomorrow' ? 1 : word === 'yesterday' ? -1 : 0;
    const day = today.plus({ days: offset });
    return dayMatch(text, day, word, span(m), (w) =>
      word === 'today' ? (w === 'night' ? 'tonight' : `this ${w}`) : `${word} ${w}`,
    );
  }
  return null;
}

function weekSpan(text: string, now: DateTime, weekStartsOn: 1 | 7): DayMatch | null {
  const today = now.startOf('day');
  const weekStart = startOfWeek(now, weekStartsOn);
  const saturdayOffset = (6 - weekStart.weekday + 7) % 7;
  let m = /\b(?:(this|the|next|coming)\s+)?weekend\b/.exec(text);
  if (m) {
    let saturday: DateTime;
    if (m[1] === 'next') saturday = weekStart.plus({ days: 7 + saturdayOffset });
    else if (today.weekday === 6) saturday = today;
    else if (today.weekday === 7) saturday = today.minus({ days: 1 });
    else saturday = today.plus({ days: 6 - today.weekday });
    const label = m[1] === 'next' ? 'next weekend' : 'the weekend';
    return { from: saturday, to: saturday.plus({ days: 2 }), label, day: null, spans: [span(m)] };
  }
  m = /\b(this|next|last|coming|the)\s+week\b|\brest of the week\b/.exec(text);
  if (m) {
    const which = m[1] ?? 'this';
    const spans = [span(m)];
    if (which === 'next') {
      const from = weekStart.plus({ days: 7 });
      return { from, to: from.plus({ days: 7 }), label: 'next week', day: null, spans };
    }
    if (which === 'last') {
      return {
        from: weekStart.minus({ days: 7 }),
        to: weekStart,
        label: 'last week',
        day: null,
        spans,
      };
    }
    if (which === 'coming') {
      return { from: now, to: today.plus({ days: 7 }), label: 'the coming week', day: null, spans };
    }
    return { from: now, to: weekStart.plus({ days: 7 }), label: 'this week', day: null, spans };
  }
  m = /\b(this|next)\s+month\b/.exec(text);
  if (m) {
    const monthStart = today.startOf('month');
    if (m[1] === 'next') {
      const from = monthStart.plus({ months: 1 });
      return {
        from,
        to: from.plus({ months: 1 }),
        label: 'next month',
        day: null,
        spans: [span(m)],
      };
    }
    return {
      from: now,
      to: monthStart.plus({ months: 1 }),
      label: 'this month',
      day: null,
      spans: [span(m)],
    };
  }
  m = new RegExp(`\\b(?:the\\s+)?(?:next|coming|following)\\s+(${COUNT})\\s+days\\b`).exec(text);
  if (m?.[1]) {
    const n = parseCount(m[1]);
    if (n !== null && n > 0) {
      return {
        from: now,
        to: today.plus({ days: n }),
        label: `the next ${n} days`,
        day: null,
        spans: [span(m)],
      };
    }
  }
  return null;
}

function weekdayMatch(
  text: string,
  m: RegExpExecArray,
  now: DateTime,
  weekStartsOn: 1 | 7,
): DayMatch {
  const today = now.startOf('day');
  const target = WEEKDAY_NAMES[m[2] ?? ''] ?? 1;
  const ahead = (target - today.weekday + 7) % 7;
  const at = (day: DateTime) =>
    dayMatch(text, day, dayLabel(day), span(m), (w) => `${dayLabel(day)} ${w}`);
  if (m[1] === 'next') {
    const nextWeek = startOfWeek(today, weekStartsOn).plus({ days: 7 });
    return at(nextWeek.plus({ days: (target - nextWeek.weekday + 7) % 7 }));
  }
  if (m[1] === 'last') return at(today.minus({ days: (today.weekday - target + 7) % 7 || 7 }));
  if (ahead > 0 || m[1] === 'this') return at(today.plus({ days: ahead }));
  // Today's own name: "coming friday" is next week's; "friday afternoon" asked on Friday
  // evening is too, as a person would read it.
  const nextWeek = today.plus({ days: 7 });
  const match = at(today);
  if (m[1] === 'coming' || match.to <= now) return at(nextWeek);
  return { ...match, sameDayNextWeek: nextWeek };
}

function relativeDay(text: string, now: DateTime, weekStartsOn: 1 | 7): DayMatch | null {
  const today = now.startOf('day');
  let m = new RegExp(`\\b(?:in|within)\\s+(${COUNT})\\s+(days?|weeks?)\\b`).exec(text);
  if (m?.[1] && m[2]) {
    const n = parseCount(m[1]);
    if (n !== null) {
      const day = today.plus({ days: m[2].startsWith('week') ? n * 7 : n });
      return dayMatch(text, day, dayLabel(day), span(m), (w) => `${dayLabel(day)} ${w}`);
    }
  }
  const weekday = new RegExp(`\\b(?:(on|this|next|last|coming)\\s+)?(${WEEKDAY_PATTERN})\\b`, 'g');
  for (m = weekday.exec(text); m; m = weekday.exec(text)) {
    const name = m[2] ?? '';
    const isAbbreviation = name.length <= 5 && !name.endsWith('day');
    if (!isAbbreviation || m[1] || text.trim() === name) {
      return weekdayMatch(text, m, now, weekStartsOn);
    }
  }
  return null;
}

function explicitDate(text: string, today: DateTime, locale: string | undefined): DayMatch | null {
  // The locale decides "5/3"; a month written as a word reads the same in both, but the
  // day-first parser takes "March 12" for March 2012, so the other parser gets a turn.
  const parsers = isDayFirst(locale) ? [chrono.en.GB, chrono.en.casual] : [chrono.en.casual];
  const results = parsers.flatMap((parser) => parser.parse(text, today.toJSDate()));
  for (const result of results) {
    const c = result.start;
    if ([...result.tags()].some((tag) => tag.startsWith('result/relative'))) continue;
    if (!c.isCertain('day') || !c.isCertain('month')) continue;
    const month = c.get('month') ?? 0;
    const dayOfMonth = c.get('day') ?? 0;
    let day: DateTime | null;
    if (c.isCertain('year')) {
      day = today.set({ year: c.get('year') ?? today.year, month, day: dayOfMonth });
      if (day.month !== month || day.day !== dayOfMonth) day = null;
    } else {
      day = likelyDate(today, month, dayOfMonth);
    }
    if (!day?.isValid) continue;
    const start = day.startOf('day');
    const phrase: [number, number] = [result.index, result.index + result.text.length];
    const label = dayLabel(start, start.year !== today.year);
    return dayMatch(text, start, label, phrase, (w) => `${label} ${w}`);
  }
  return null;
}

/** The first day or span named in `text` (lower-cased), resolved in the user's zone. */
export function findDayPhrase(text: string, ctx: RouteContext): DayMatch | null {
  const now = localNow(ctx).startOf('minute');
  const today = now.startOf('day');
  const weekStartsOn = ctx.weekStartsOn ?? 1;
  return (
    namedDay(text, today) ??
    weekSpan(text, now, weekStartsOn) ??
    relativeDay(text, now, weekStartsOn) ??
    explicitDate(text, today, ctx.locale)
  );
}
