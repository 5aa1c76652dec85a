/**
 * The deterministic intent router: reads a free-text message and decides which
 * capability answers it, with every date resolved in the user's zone. No model, no I/O:
 * the same text, clock and zone always give the same intent.
 */
import { findDayPhrase } from './day-phrases.ts';
import { resolveFree } from './free-time.ts';
import type { ActionsIntent, Intent, RouteContext } from './intent.ts';
import { isoOf, localNow } from './local-time.ts';
import { buildMailQuery } from './mail-query.ts';
import { COUNT_PATTERN, parseCount } from './numbers.ts';
import { normalizeText, withoutTrailingPunctuation } from './text-normalize.ts';
import { readWatchPhrase } from './watch-phrases.ts';

/** Longer messages are read up to here: questions are short, and parsing stays cheap. */
const MAX_TEXT_LENGTH = 1000;
/** The longest look-back for action items (`actions.extract` reads at most 30 days). */
const MAX_ACTION_DAYS = 30;

/** Example questions offered when a message is not understood. */
export const SUGGESTIONS: readonly string[] = [
  "What's on my calendar today?",
  'Am I free tomorrow at 3?',
  'Any unread mail from Alice?',
  'What do I need to reply to?',
];

const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|yo|hallo|good (?:morning|afternoon|evening|day)|thanks|thank you|thx|ty|cheers|ok|okay|great|cool|nice|perfect|awesome)(?: (?:there|bot|tidings|so much|a lot|very much|again))?$/;
const GREETING_PREFIX =
  /^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))(?: there)?[,!.]?\s+/;
const HELP =
  /^(?:\/?help|\?+|what can you do|what do you do|what can i ask|how does (?:this|it) work|how do i use (?:this|you|it)|commands|menu|\/?start|help me)$/;
const BRIEFING =
  /\b(?:briefing|brief me|summary|summari[sz]e|digest|rundown|catch me up|daily update|overview)\b/;
const ACTIONS =
  /\b(?:action items?|to-?dos?|tasks?|need to (?:do|reply|respond|answer|follow up|handle|sign|pay)|should i (?:reply|respond|answer|do)|follow[- ]?ups?|reply to|respond to|waiting (?:on|for) (?:me|my)|awaiting my|deadlines?)\b/;
const NEXT =
  /\bnext (?:meeting|event|appointment|call|thing|item)s?\b|^(?:what'?s|what is) (?:up )?next$|^next$|\bcoming up next\b/;
const FREE =
  /\b(?:free|busy|available|availability|slots?|gaps?|time for)\b|\bfind (?:me )?(?:an? |some )?(?:hour|time|slot|half|\d+)/;
const MAIL_NOUN = /\b(?:e-?mails?|mails?|inbox|messages?|newsletters?|gmail)\b/;
const MAIL_HINT = /\b(?:from|sent by|about|regarding)\s+\S|"[^"]+"/;
const UNREAD =
  /\bunread\b|\bnew (?:e-?mails?|mails?|messages?)\b|\bany (?:new )?(?:e-?mails?|mail|messages?)\b|\bcheck (?:my )?(?:mail|e-?mail|inbox)\b|\binbox\b|\bdo i have (?:any )?(?:new )?(?:mail|e-?mails?|messages?)\b/;
const CALENDAR =
  /\b(?:calendar|agenda|schedule|meetings?|events?|appointments?|plans?|calls?)\b|\bwhat'?s on\b|\bwhat is on\b|\banything on\b|\bwhat do i have\b|\bam i doing\b/;

function actionsIntent(text: string): ActionsIntent {
  const m = new RegExp(`\\b(?:last|past)\\s+(${COUNT_PATTERN})\\s+days?\\b`).exec(text);
  const n = m?.[1] ? parseCount(m[1]) : null;
  if (n !== null && n >= 1) {
    // Action items are looked for in the last month at most.
    const days = Math.min(MAX_ACTION_DAYS, Math.floor(n));
    return { kind: 'actions', days, label: `the last ${days} days` };
  }
  if (/\btoday\b/.test(text)) return { kind: 'actions', days: 1, label: 'today' };
  if (/\bmonth\b/.test(text)) return { kind: 'actions', days: 30, label: 'this month' };
  if (/\bweek\b/.test(text)) return { kind: 'actions', days: 7, label: 'this week' };
  return { kind: 'actions', days: 7, label: 'the last 7 days' };
}

/** Decides what a free-text message asks for. */
export function routeIntent(text: string, ctx: RouteContext): Intent {
  let t = normalizeText(text.slice(0, MAX_TEXT_LENGTH));
  if (GREETING.test(withoutTrailingPunctuation(t).replace(/[!.,]/g, '')))
    return { kind: 'greeting' };
  t = t.replace(GREETING_PREFIX, '');
  const bare = withoutTrailingPunctuation(t);
  if (bare === '') return { kind: 'unknown', suggestions: [...SUGGESTIONS] };
  if (HELP.test(bare)) return { kind: 'help' };
  const watch = readWatchPhrase(bare);
  if (watch) return watch;
  if (BRIEFING.test(t)) return { kind: 'briefing' };
  if (ACTIONS.test(t) || /\btodo\b/.test(t)) return actionsIntent(t);

  const hasMailNoun = MAIL_NOUN.test(t);
  if (NEXT.test(bare) && !hasMailNoun) return { kind: 'next' };
  if (FREE.test(t) && !hasMailNoun) return resolveFree(t, ctx).intent;

  const isCalendar = CALENDAR.test(t);
  const isUnread = UNREAD.test(t);
  if (
    (hasMailNoun || isUnread || (MAIL_HINT.test(t) && !isCalendar)) &&
    !(isCalendar && !hasMailNoun)
  ) {
    const mail = buildMailQuery(t, ctx);
    if (!mail.hasFilters && (isUnread || mail.unread)) return { kind: 'unread' };
    return { kind: 'mail_search', query: mail.query, label: mail.label };
  }

  const phrase = findDayPhrase(t, ctx);
  if (phrase || isCalendar) {
    const today = localNow(ctx).startOf('day');
    if (!phrase)
      return {
        kind: 'agenda',
        from: isoOf(today),
        to: isoOf(today.plus({ days: 1 })),
        label: 'today',
      };
    return { kind: 'agenda', from: isoOf(phrase.from), to: isoOf(phrase.to), label: phrase.label };
  }
  if (/\bhelp\b/.test(t)) return { kind: 'help' };
  return { kind: 'unknown', suggestions: [...SUGGESTIONS] };
}
