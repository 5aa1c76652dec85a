/**
 * Follow-ups: short messages that only make sense after what the chat showed last — "open
 * 1", "read the first one", "the second", "the last one", "more", "next page", "and
 * tomorrow?", "what about friday?", "anything else from her?", "unread ones?".
 * `readFollowUp` recognises one (the whole message must be one; anything longer is a
 * question of its own for the router); `resolveFollowUp` says what to do with it given what
 * the chat keeps, or why that cannot be done. Pure: no clock, no I/O.
 */
import { parseDayArg, parseWhenArg } from './command-args.ts';
import type { DateRange, FreeAtIntent, FreeSlotsIntent, RouteContext } from './intent.ts';
import { safeTokens } from './mail-query.ts';
import { parseCount } from './numbers.ts';
import { normalizeText, withoutTrailingPunctuation } from './text-normalize.ts';

export type FollowUp =
  /** An item by the number the list shows: "open 7", "number 2", "show me 3". */
  | { kind: 'pick'; number: number }
  /** An item by its place in the list shown: "the first one", "the second", "the last one". */
  | { kind: 'pick_position'; position: number | 'last' }
  /** The next page: "more", "next page". */
  | { kind: 'more' }
  /** The same question for another day: "and tomorrow?", "what about next week?". */
  | { kind: 'when'; words: string; range: DateRange | null }
  /** Mail from the last person: "from her?", "anything else from him?", "more from them". */
  | { kind: 'from_person'; unread: boolean }
  /** The last mail list, unread only: "unread ones?". */
  | { kind: 'unread' };

/** What the chat showed and was asked last, as far as follow-ups need it. */
export interface FollowUpContext {
  /** The last list: the number its first item shows, how many items, whether more follow. */
  list: {
    kind: 'mail' | 'agenda';
    first: number;
    count: number;
    hasMore: boolean;
    label: string;
  } | null;
  /** What the last day range was asked for. */
  asked: 'agenda' | 'free' | null;
  mailQuery: { query: string; label: string } | null;
  /** The sender of the mail last opened, or of the last list filtered by sender. */
  person: { email: string; name: string | null } | null;
}

export type FollowUpAction =
  /** The item at `index` (from 0) of the last list. */
  | { kind: 'open'; index: number }
  | { kind: 'next_page' }
  | { kind: 'agenda'; range: DateRange }
  | { kind: 'free'; intent: FreeAtIntent | FreeSlotsIntent }
  | { kind: 'mail_search'; query: string; label: string }
  | { kind: 'unread' }
  /** Not a follow-up after all: the router reads the message. */
  | { kind: 'route' }
  /** Nothing kept to pick from or page through (never shown, or expired). */
  | { kind: 'no_list' }
  /** The list has no such item: it shows `first` to `last` (`last < first`: it was empty). */
  | { kind: 'no_item'; asked: number | 'last'; first: number; last: number }
  /** The list has no further page. */
  | { kind: 'no_more'; list: 'mail' | 'agenda'; label: string }
  /** No sender to look for. */
  | { kind: 'no_person' };

const POLITE_START = /^(?:(?:ok(?:ay)?|so|now|then|please|pls|great|thanks|cool|right)[,!.]?\s+)+/;
const POLITE_END = /(?:[,\s]+(?:please|pls|thanks|thank you))+$/;

const VERB =
  "(?:open|read|show(?: me)?|view|see|display|get|give me|let me see|let me read|what'?s in|what is in|go to)";
const NOUN = '(?:message|mail|e-?mail|item|event|entry|result|number|no\\.?|#)';
const NUMBER = '\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';
const PICK_NUMBER = new RegExp(`^(?:${VERB}\\s+)?(?:(?:the\\s+)?${NOUN}\\s*)?#?(${NUMBER})$`);

const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  sixth: 6,
  '6th': 6,
  seventh: 7,
  '7th': 7,
  eighth: 8,
  '8th': 8,
  ninth: 9,
  '9th': 9,
  tenth: 10,
  '10th': 10,
};
const PICK_POSITION = new RegExp(
  `^(?:(?:${VERB}|and|and what about|what about|how about)\\s+)?(?:the\\s+)?(${Object.keys(ORDINALS).join('|')}|last|final)(?:\\s+(?:one|message|mail|e-?mail|item|event|entry|result))?$`,
);

const MORE =
  /^(?:(?:show|give|send|get)(?: me)?\s+)?(?:some\s+)?(?:more|the\s+rest|(?:the\s+)?next\s+(?:page|ones|five|5)|more\s+(?:messages|mails|e-?mails|results|events|of\s+(?:them|those))|keep\s+going|continue|go\s+on|page\s+2)$/;

const PERSON =
  '(?:her|him|them|this person|that person|the same person|the sender|this sender|that sender|the same sender)';
const FROM_PERSON = new RegExp(`^(.*?)\\s*\\b(?:from|by)\\s+${PERSON}(?:\\s+again)?$`);
/** Words that may come before "from her" without making it a question of its own. */
const PERSON_FILLER = new Set(
  (
    'and so anything any else more other others mail mails email emails e-mail e-mails message ' +
    "messages what what's whats show me all the something got did i get have has is there " +
    'new recent latest list find see is are was'
  ).split(' '),
);

const UNREAD_FOLLOW_UPS: readonly RegExp[] = [
  /^(?:and|so|what about|how about)\s+(?:the\s+)?unread(?:\s+ones?)?$/,
  /^(?:(?:show\s+(?:me\s+)?)?(?:only|just)\s+)?(?:the\s+)?unread\s+(?:ones?|only)$/,
  /^(?:show\s+(?:me\s+)?)?(?:only|just)\s+(?:the\s+)?unread(?:\s+ones?)?$/,
  /^(?:which|what)(?:\s+ones?)?\s+(?:are|is)\s+unread$/,
  /^(?:any|are\s+any)(?:\s+of\s+them)?\s+unread(?:\s+ones?)?$/,
];

const DAY_CUE =
  /^(?:and what about|and how about|what about|how about|and for|and on|same for|and)\s+(.+)$/;

/** The message as compared here: normal form, no trailing punctuation or politeness. */
function bare(text: string): string {
  return withoutTrailingPunctuation(normalizeText(text.slice(0, 200)))
    .replace(POLITE_START, '')
    .replace(POLITE_END, '')
    .replace(/[?!.,]+$/, '')
    .trim();
}

function fromPerson(text: string): FollowUp | null {
  const m = FROM_PERSON.exec(text);
  if (!m) return null;
  const before = (m[1] ?? '').split(/\s+/).filter((word) => word !== '');
  const unread = before.includes('unread');
  if (!before.every((word) => word === 'unread' || PERSON_FILLER.has(word))) return null;
  return { kind: 'from_person', unread };
}

function pick(text: string): FollowUp | null {
  const number = PICK_NUMBER.exec(text);
  if (number?.[1]) {
    const n = parseCount(number[1]);
    if (n !== null && Number.isInteger(n) && n >= 1) return { kind: 'pick', number: n };
  }
  const position = PICK_POSITION.exec(text);
  if (position?.[1]) {
    const word = position[1];
    return {
      kind: 'pick_position',
      position: word === 'last' || word === 'final' ? 'last' : (ORDINALS[word] ?? 1),
    };
  }
  return null;
}

function anotherDay(text: string, ctx: RouteContext): FollowUp | null {
  const m = DAY_CUE.exec(text);
  const words = m?.[1]?.trim();
  if (!words) return null;
  const range = parseDayArg(words, ctx);
  // "and tomorrow at 3?" is no day of its own, but a moment when free time was asked.
  if (!range && !parseWhenArg(words, ctx)) return null;
  return { kind: 'when', words, range };
}

/** The follow-up a whole message is, or null when it is a question of its own. */
export function readFollowUp(text: string, ctx: RouteContext): FollowUp | null {
  const t = bare(text);
  if (t === '') return null;
  const person = fromPerson(t);
  if (person) return person;
  if (UNREAD_FOLLOW_UPS.some((pattern) => pattern.test(t))) return { kind: 'unread' };
  if (MORE.test(t)) return { kind: 'more' };
  return pick(t) ?? anotherDay(t, ctx);
}

/** A sender address usable in a query: one safe token, or null (see `safeTokens`). */
function safeAddress(email: string): string | null {
  const address = email.trim().toLowerCase();
  const tokens = safeTokens(address);
  return tokens.length === 1 && tokens[0] === address && address.includes('@') ? address : null;
}

function unreadLabel(label: string): string {
  return label.startsWith('unread') ? label : `unread ${label}`;
}

function openAt(
  list: NonNullable<FollowUpContext['list']>,
  asked: number | 'last',
  index: number,
): FollowUpAction {
  if (index >= 0 && index < list.count) return { kind: 'open', index };
  return { kind: 'no_item', asked, first: list.first, last: list.first + list.count - 1 };
}

function narrowToUnread(query: FollowUpContext['mailQuery']): FollowUpAction {
  if (!query || query.query === 'in:inbox' || query.query === 'in:inbox is:unread') {
    return { kind: 'unread' };
  }
  if (/(?:^|\s)is:unread(?:\s|$)/.test(query.query)) {
    return { kind: 'mail_search', query: query.query, label: query.label };
  }
  return {
    kind: 'mail_search',
    query: `${query.query} is:unread`,
    label: unreadLabel(query.label),
  };
}

/** What to do with a follow-up, given what the chat keeps (null: nothing, or expired). */
export function resolveFollowUp(
  followUp: FollowUp,
  context: FollowUpContext | null,
  ctx: RouteContext,
): FollowUpAction {
  const list = context?.list ?? null;
  switch (followUp.kind) {
    case 'pick':
      if (!list) return { kind: 'no_list' };
      return openAt(list, followUp.number, followUp.number - list.first);
    case 'pick_position': {
      if (!list) return { kind: 'no_list' };
      const { position } = followUp;
      return openAt(list, position, position === 'last' ? list.count - 1 : position - 1);
    }
    case 'more':
      if (!list) return { kind: 'no_list' };
      return list.hasMore
        ? { kind: 'next_page' }
        : { kind: 'no_more', list: list.kind, label: list.label };
    case 'when': {
      if (context?.asked === 'free') {
        const intent = parseWhenArg(followUp.words, ctx);
        if (intent) return { kind: 'free', intent };
      }
      return followUp.range ? { kind: 'agenda', range: followUp.range } : { kind: 'route' };
    }
    case 'from_person': {
      const person = context?.person;
      const address = person ? safeAddress(person.email) : null;
      if (!person || !address) return { kind: 'no_person' };
      const who = person.name?.trim() || address;
      return {
        kind: 'mail_search',
        query: followUp.unread ? `from:${address} is:unread` : `from:${address}`,
        label: `${followUp.unread ? 'unread ' : ''}mail from ${who.slice(0, 60)}`,
      };
    }
    case 'unread':
      return narrowToUnread(context?.mailQuery ?? null);
    default: {
      const unknown: never = followUp;
      return unknown;
    }
  }
}
