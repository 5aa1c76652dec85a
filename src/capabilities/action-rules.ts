/**
 * Deterministic action-item rules: split a mail body into sentences, match request
 * patterns, and read a deadline with chrono-node relative to the message date in the
 * user's zone. Every match says which rule fired, so a result can be explained. An ask
 * is open until its deadline, or without one until the message's last deadline; an RSVP
 * also only until the event it is for begins (the first day the message names that is
 * not a deadline, at the time named on it, else at the end of that day).
 */
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

export interface RequestRule {
  id: string;
  /** Shown in `why`. */
  label: string;
  test(sentence: string, subject: string): boolean;
}

const NOT_A_REQUEST =
  /\bplease (?:find|see) (?:attached|below|enclosed)|\bplease do not reply|\bplease ignore|\bplease note\b/i;

export const REQUEST_RULES: readonly RequestRule[] = [
  { id: 'rsvp', label: 'asks for an RSVP', test: (s) => /\bRSVP\b/i.test(s) },
  {
    id: 'reminder-due',
    label: 'a reminder of something due',
    test: (s, subject) => /\breminder\b/i.test(`${subject} ${s}`) && /\bdue\b/i.test(s),
  },
  { id: 'need-you-to', label: '"need you to …"', test: (s) => /\bneeds? you to\b/i.test(s) },
  {
    id: 'can-you',
    label: '"can/could you …"',
    test: (s) => /\b(?:can|could|would) you\b/i.test(s),
  },
  {
    id: 'please',
    label: '"please …"',
    test: (s) => /\bplease\b/i.test(s) && !NOT_A_REQUEST.test(s),
  },
  { id: 'let-me-know', label: '"let me know …"', test: (s) => /\blet (?:me|us) know\b/i.test(s) },
];

/** The readable part of a reply: no quoted lines, nothing after the signature or "On … wrote:". */
export function ownText(body: string): string {
  const kept: string[] = [];
  for (const line of body.split('\n')) {
    if (
      /^-- ?$/.test(line) ||
      /^On .+wrote:\s*$/.test(line) ||
      /^-{2,}\s*Original Message/i.test(line)
    )
      break;
    if (line.trimStart().startsWith('>')) continue;
    kept.push(line);
  }
  return kept.join('\n');
}

/** Sentences of a text: split at paragraph breaks, list items and sentence ends. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .flatMap((block) => block.split(/(?<=[.!?])\s+(?=["'(\p{Lu}\d])/u))
    .map((s) => s.replace(/^(?:[-*•]|\d+[.)])\s+/, '').trim())
    .filter((s) => s.length >= 4);
}

export interface Deadline {
  due: DateTime;
  dueText: string;
}

const CONNECTOR =
  /(?:\b(?:by|before|until|till|due|no later than|on|deadline(?: is)?:?)\s+(?:(?:the\s+)?(?:end of (?:the )?day|EOD|COB|close of business)\s*(?:on\s+)?)?|\b(?:end of (?:the )?day|EOD|COB|close of business)\s+(?:on\s+)?)$/i;
const END_OF_DAY = /\b(?:end of (?:the )?day|EOD|COB|close of business)\b/i;

/**
 * The deadline a sentence sets, relative to `sent` in `zone`: "by Friday" is the end of
 * that day (23:59) unless a time is given; "end of day Thursday" is 17:00. Only dates
 * introduced as a deadline ("by", "before", "until", "due", "on", "end of day") count.
 */
export function findDeadline(sentence: string, sent: Date, zone: string): Deadline | null {
  const reference = DateTime.fromJSDate(sent, { zone });
  const results = chrono.parse(
    sentence,
    { instant: sent, timezone: reference.offset },
    { forwardDate: true },
  );
  for (const result of results) {
    const before = sentence.slice(0, result.index);
    const connector = CONNECTOR.exec(before);
    if (!connector) continue;
    const start = result.start;
    const explicitTime = start.isCertain('hour');
    const endOfDay =
      END_OF_DAY.test(connector[0]) ||
      END_OF_DAY.test(
        sentence.slice(result.index + result.text.length, result.index + result.text.length + 20),
      );
    const hour = explicitTime ? (start.get('hour') ?? 0) : endOfDay ? 17 : 23;
    const minute = explicitTime ? (start.get('minute') ?? 0) : endOfDay ? 0 : 59;
    const due = DateTime.fromObject(
      {
        year: start.get('year') ?? reference.year,
        month: start.get('month') ?? reference.month,
        day: start.get('day') ?? reference.day,
        hour,
        minute,
      },
      { zone },
    );
    if (!due.isValid || due < reference.startOf('day')) continue;
    return { due, dueText: `${connector[0]}${result.text}`.replace(/\s+/g, ' ').trim() };
  }
  return null;
}

export interface EventDay {
  /** 00:00 of the event's day in the user's zone. */
  day: DateTime;
  /** Its start, when the message names a time on that day. */
  at: DateTime | null;
}

/** The dates a text names, not as a deadline, on or after the day it was sent. */
function namedDays(text: string, reference: DateTime): EventDay[] {
  const results = chrono.parse(
    text,
    { instant: reference.toJSDate(), timezone: reference.offset },
    { forwardDate: true },
  );
  return results.flatMap((result) => {
    const start = result.start;
    if (!start.isCertain('day') && !start.isCertain('weekday')) return [];
    if (CONNECTOR.test(text.slice(0, result.index))) return [];
    const day = DateTime.fromObject(
      {
        year: start.get('year') ?? reference.year,
        month: start.get('month') ?? reference.month,
        day: start.get('day') ?? reference.day,
      },
      { zone: reference.zone },
    );
    if (!day.isValid || day < reference.startOf('day')) return [];
    const hour = start.isCertain('hour') ? start.get('hour') : null;
    const at = hour === null ? null : day.set({ hour, minute: start.get('minute') ?? 0 });
    return [{ day, at }];
  });
}

/**
 * The day an invitation is for: the first day its texts name that is not a deadline,
 * from the day it was sent on, with the earliest time named on that day.
 */
export function findEventDay(texts: readonly string[], sent: Date, zone: string): EventDay | null {
  const reference = DateTime.fromJSDate(sent, { zone });
  const found = texts.flatMap((text) => namedDays(text, reference));
  const first = earliest(found.map((f) => f.day));
  if (!first) return null;
  return {
    day: first,
    at: earliest(found.flatMap((f) => (f.at && f.day.equals(first) ? [f.at] : []))),
  };
}

function earliest(times: readonly DateTime[]): DateTime | null {
  return times.reduce<DateTime | null>((a, t) => (a && a <= t ? a : t), null);
}

export interface ActionMatch {
  ask: string;
  rule: RequestRule;
  deadline: Deadline | null;
  /**
   * When the ask stops making sense: just after its deadline (or, without one, the
   * message's last deadline), or for an RSVP when the event begins (the end of its day
   * when no time is named), whichever comes first; null when nothing dates it.
   */
  closesAt: DateTime | null;
}

/** True when the ask can still be acted on at `now`. */
export function isOpen(match: ActionMatch, now: Date): boolean {
  return match.closesAt === null || match.closesAt.toMillis() > now.getTime();
}

function closing(deadline: Deadline | null, event: EventDay | null): DateTime | null {
  const times: DateTime[] = [];
  if (deadline) times.push(deadline.due.plus({ minutes: 1 }));
  if (event) times.push(event.at ?? event.day.plus({ days: 1 }));
  return earliest(times);
}

/** The asks in a message: at most `perMessage` sentences that match a request rule. */
export function findActions(
  subject: string,
  body: string,
  sent: Date,
  zone: string,
  perMessage = 3,
): ActionMatch[] {
  const found: Array<Omit<ActionMatch, 'closesAt'>> = [];
  const own = splitSentences(ownText(body));
  const sentences = /\bRSVP\b|\breminder\b/i.test(subject) ? [subject, ...own] : own;
  for (const sentence of sentences) {
    const rule = REQUEST_RULES.find((r) => r.test(sentence, subject));
    if (!rule) continue;
    if (found.some((m) => m.ask === sentence)) continue;
    const ask = sentence.length > 300 ? `${sentence.slice(0, 297)}…` : sentence;
    found.push({ ask, rule, deadline: findDeadline(sentence, sent, zone) });
    if (found.length >= perMessage) break;
  }
  const event = found.some((m) => m.rule.id === 'rsvp')
    ? findEventDay([subject, ...own], sent, zone)
    : null;
  // An ask without a deadline of its own goes with the message's last one ("Lumen hours
  // under LUM-02, please" beside "timesheets are due today at 5pm").
  const last = found.reduce<Deadline | null>(
    (a, m) => (m.deadline && (!a || m.deadline.due > a.due) ? m.deadline : a),
    null,
  );
  return found.map((m) => ({
    ...m,
    closesAt: closing(m.deadline ?? last, m.rule.id === 'rsvp' ? event : null),
  }));
}
