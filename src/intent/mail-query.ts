/**
 * Turns a question about mail into a Gmail query: "anything from Alice about the
 * invoice?" → `from:alice invoice`. Operators are only ever written by this module;
 * every word taken from the user is cut at characters outside letters, digits and
 * `@._+'-`, stripped of a leading `-`/`+` and lower-cased, so input such as
 * `alice OR from:ceo` cannot add operators of its own.
 */
import type { DateTime } from 'luxon';
import { findDayPhrase, WEEKDAY_PATTERN, weekdayNumber } from './day-phrases.ts';
import type { RouteContext } from './intent.ts';
import { gmailDate, localNow, startOfWeek } from './local-time.ts';
import { COUNT_PATTERN, parseCount } from './numbers.ts';

export interface MailQuery {
  query: string;
  label: string;
  /** True when the query narrows by anything other than `is:unread`. */
  hasFilters: boolean;
  unread: boolean;
}

interface DateFilter {
  operators: string[];
  label: string;
  spans: Array<[number, number]>;
}

const MAIL_NOUNS = new Set([
  'mail',
  'mails',
  'email',
  'emails',
  'e-mail',
  'e-mails',
  'messages',
  'message',
  'inbox',
]);
const STOP_WORDS = new Set(
  (
    'a an the any anything anyone anybody something someone somebody everything all my me i im ' +
    "i'm do did does done have has had got get getting is are was were be been there here show " +
    'showing find search look looking list give tell see check for of on in at with about ' +
    'regarding re concerning subject titled called mentioning containing say said says and or ' +
    "but not no to from by into please can could would will you u your what what's whats which " +
    'who whom whose when where why how latest recent recently new received receive sent wrote ' +
    'written some that this those these it its them they just still yet ever again need want ' +
    "let's lets us we our mine stuff thing things hey hi hello thanks kindly pls plz many much " +
    'count number left got'
  ).split(' '),
);

/** Splits user text into safe lower-case words (see the module header). */
export function safeTokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._+'-]+/u)
    .map((token) => token.replace(/^[-+.'_]+/, '').replace(/[-.'_]+$/, ''))
    .filter((token) => /[\p{L}\p{N}]/u.test(token));
}

function spanOf(m: RegExpExecArray): [number, number] {
  return [m.index, m.index + m[0].length];
}

function pastWeekday(today: DateTime, weekday: number, strictlyBefore: boolean): DateTime {
  const back = (today.weekday - weekday + 7) % 7;
  return today.minus({ days: back === 0 && strictlyBefore ? 7 : back });
}

/** Date operators for "today", "this week", "last 3 days", "since Monday", "on March 5"… */
function dateFilter(text: string, ctx: RouteContext): DateFilter | null {
  const now = localNow(ctx);
  const today = now.startOf('day');
  let m = new RegExp(
    `\\b(?:in\\s+the\\s+|over\\s+the\\s+)?(?:last|past)\\s+(${COUNT_PATTERN})\\s+(days?|weeks?|months?)\\b`,
  ).exec(text);
  if (m?.[1] && m[2]) {
    const n = Math.floor(parseCount(m[1]) ?? 1);
    const unit = m[2].replace(/s$/, '');
    const after = today.minus(
      unit === 'day' ? { days: n } : unit === 'week' ? { weeks: n } : { months: n },
    );
    return {
      operators: [`after:${gmailDate(after)}`],
      label: `in the last ${n} ${unit}${n === 1 ? '' : 's'}`,
      spans: [spanOf(m)],
    };
  }
  m = /\b(?:in\s+the\s+|over\s+the\s+)?past\s+(day|week|month)\b/.exec(text);
  if (m?.[1]) {
    const after = today.minus(
      m[1] === 'day' ? { days: 1 } : m[1] === 'week' ? { weeks: 1 } : { months: 1 },
    );
    return {
      operators: [`after:${gmailDate(after)}`],
      label: `in the past ${m[1]}`,
      spans: [spanOf(m)],
    };
  }
  m = /\bthis\s+(week|month)\b/.exec(text);
  if (m?.[1]) {
    const start =
      m[1] === 'week' ? startOfWeek(today, ctx.weekStartsOn ?? 1) : today.startOf('month');
    return { operators: [`after:${gmailDate(start)}`], label: `this ${m[1]}`, spans: [spanOf(m)] };
  }
  m = new RegExp(`\\b(since|on|from|last)\\s+(${WEEKDAY_PATTERN})\\b`).exec(text);
  if (m?.[1] && m[2]) {
    const day = pastWeekday(today, weekdayNumber(m[2]) ?? 1, m[1] === 'last');
    const name = day.toLocaleString({ weekday: 'long' });
    if (m[1] === 'since')
      return { operators: [`after:${gmailDate(day)}`], label: `since ${name}`, spans: [spanOf(m)] };
    return {
      operators: [`after:${gmailDate(day)}`, `before:${gmailDate(day.plus({ days: 1 }))}`],
      label: `on ${name}`,
      spans: [spanOf(m)],
    };
  }
  const since = /\bsince\b/.exec(text);
  const phrase = findDayPhrase(text, ctx);
  if (!phrase) return null;
  const from = phrase.day ?? phrase.from.startOf('day');
  const operators = [`after:${gmailDate(from)}`];
  const to = phrase.to;
  const isOpenEnded = since !== null && since.index < (phrase.spans[0]?.[0] ?? 0);
  if (!isOpenEnded && to <= today.plus({ days: 1 })) operators.push(`before:${gmailDate(to)}`);
  const spans = isOpenEnded && since ? [...phrase.spans, spanOf(since)] : phrase.spans;
  return { operators, label: isOpenEnded ? `since ${phrase.label}` : phrase.label, spans };
}

function blank(text: string, spans: Array<[number, number]>): string {
  let out = text;
  for (const [start, end] of spans)
    out = out.slice(0, start) + ' '.repeat(end - start) + out.slice(end);
  return out;
}

/** Builds the Gmail query for a mail question (text already lower-cased). */
export function buildMailQuery(text: string, ctx: RouteContext): MailQuery {
  const phrases: string[] = [];
  const phraseSpans: Array<[number, number]> = [];
  for (const m of text.matchAll(/"([^"]*)"/g)) {
    const words = safeTokens(m[1] ?? '');
    if (words.length > 0) phrases.push(`"${words.join(' ')}"`);
    phraseSpans.push([m.index, m.index + m[0].length]);
  }
  let rest = blank(text, phraseSpans);
  const dates = dateFilter(rest, ctx);
  if (dates) rest = blank(rest, dates.spans);

  const tokens = safeTokens(rest);
  const flags: string[] = [];
  const keywords: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let unread = false;
  let newsletters = false;
  let sentByMe = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const next = tokens[i + 1];
    if (
      (token === 'from' || token === 'by' || token === 'sender') &&
      next &&
      (!STOP_WORDS.has(next) || next === 'me')
    ) {
      from ??= next;
      i++;
    } else if (
      token === 'to' &&
      next &&
      !STOP_WORDS.has(next) &&
      /^(?:sent|wrote|e-?mails?|mails?|messages?)$/.test(tokens[i - 1] ?? '')
    ) {
      to ??= next;
      i++;
    } else if (token === 'i' && (next === 'sent' || next === 'wrote')) {
      sentByMe = true;
      i++;
    } else if (
      token === 'unread' ||
      (token === 'new' && next !== undefined && MAIL_NOUNS.has(next))
    ) {
      unread = true;
    } else if (token === 'starred' || token === 'flagged') {
      flags.push('is:starred');
    } else if (token === 'important') {
      flags.push('is:important');
    } else if (token === 'attachment' || token === 'attachments' || token === 'attached') {
      flags.push('has:attachment');
    } else if (token === 'newsletter' || token === 'newsletters') {
      newsletters = true;
    } else if (!STOP_WORDS.has(token) && !MAIL_NOUNS.has(token) && !keywords.includes(token)) {
      keywords.push(token);
    }
  }
  if (newsletters) keywords.push('unsubscribe');
  if (sentByMe) flags.unshift('in:sent');
  if (unread) flags.push('is:unread');

  const parts = [
    ...(from ? [`from:${from}`] : []),
    ...(to ? [`to:${to}`] : []),
    ...keywords,
    ...phrases,
    ...new Set(flags),
    ...(dates?.operators ?? []),
  ];
  const hasFilters = parts.some((part) => part !== 'is:unread');
  const topic = [...keywords.filter((k) => !(newsletters && k === 'unsubscribe')), ...phrases];
  const label = [
    unread ? 'unread' : '',
    newsletters ? 'newsletters' : sentByMe ? 'mail you sent' : 'mail',
    from ? `from ${from}` : '',
    to ? `to ${to}` : '',
    topic.length > 0 ? `about ${topic.join(' ')}` : '',
    dates?.label ?? '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return {
    query: parts.length > 0 ? parts.join(' ') : 'in:inbox',
    label: parts.length > 0 ? label : 'your inbox',
    hasFilters,
    unread,
  };
}
