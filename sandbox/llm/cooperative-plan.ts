/**
 * The first tool a good model would call for a question, picked by keywords: the next
 * event, free time, what to reply to, unread counts, a day's agenda, or a mail search
 * (followed by opening the first message found, unless the question asks for a list).
 * Only tools the request offers are chosen, with arguments fitted to their schema.
 */
import { comingWeek, namedRange, type Today } from './day-range.ts';
import { fitArguments } from './json-schema-check.ts';
import { mailQueryFor } from './mail-query.ts';
import type { PlannedCall, ToolSpec } from './types.ts';

export interface Plan {
  first: PlannedCall;
  /** Open the first message the search finds (`gmail_read`) before answering. */
  thenRead: boolean;
}

const NEXT =
  /\bnext (?:meeting|event|appointment|call)s?\b|\bwhat'?s next\b|\bcoming up next\b|\bwhen is my next\b/i;
const FREE = /\b(?:free|available|availability|busy|gaps?|slots?)\b/i;
const ACTIONS =
  /\b(?:reply to|respond to|answer to|action items?|to-?dos?|owe|waiting on me|need to (?:answer|reply|respond|do))\b/i;
const UNREAD = /\bunread\b|\bnew (?:mail|e-?mails?|messages?)\b/i;
const MAIL =
  /\b(?:e-?mails?|mails?|inbox|messages?|wrote|write|written|sent|send|said|say|says|saying|notes?|letters?|newsletters?|threads?|repl(?:y|ied|ies)|invoices?|receipts?|statements?|attachments?|forwarded|asked|asking|wants?)\b/i;
const CALENDAR =
  /\b(?:calendar|agenda|schedule|meetings?|events?|appointments?|invites?|invitations?|off-?sites?|workshops?|conferences?|dinners?|lunch(?:es)?|party|parties|visits?|kick-?offs?|retreats?|stand-?ups?|plans|booked|webinars?|sessions?|keynotes?|demos?|syncs?|rsvp|upcoming|coming up)\b/i;
/** Questions that ask for a list rather than what one message says. */
const LIST = /\b(?:list|lists|how many|any|all|every|show me|unread|latest|recent)\b/i;

function call(name: string, args: Record<string, unknown>, tools: Map<string, ToolSpec>) {
  const tool = tools.get(name);
  return tool ? { name, args: fitArguments(tool.function.parameters, args) } : null;
}

function mailPlan(question: string, tools: Map<string, ToolSpec>): Plan | null {
  const search = call('gmail_search', { query: mailQueryFor(question) }, tools);
  if (!search) return null;
  return { first: search, thenRead: !LIST.test(question) && tools.has('gmail_read') };
}

function calendarPlan(question: string, tools: Map<string, ToolSpec>, today: Today): Plan | null {
  const range = namedRange(question, today) ?? comingWeek(today);
  const agenda = call('calendar_agenda', { from: range.from, to: range.to }, tools);
  return agenda ? { first: agenda, thenRead: false } : null;
}

function simple(first: PlannedCall | null): Plan | null {
  return first ? { first, thenRead: false } : null;
}

/** The first call for the question, or null when no offered tool fits it. */
export function planFor(question: string, tools: Map<string, ToolSpec>, today: Today): Plan | null {
  const mail = MAIL.test(question);
  if (NEXT.test(question) && !mail) {
    return simple(call('calendar_next', {}, tools)) ?? calendarPlan(question, tools, today);
  }
  if (FREE.test(question) && !mail) {
    const range = namedRange(question, today) ?? comingWeek(today);
    return (
      simple(call('calendar_freebusy', { from: range.from, to: range.to }, tools)) ??
      calendarPlan(question, tools, today)
    );
  }
  if (ACTIONS.test(question)) {
    return simple(call('actions_extract', {}, tools)) ?? mailPlan(question, tools);
  }
  if (UNREAD.test(question) && mailQueryFor(question) === 'is:unread') {
    return simple(call('gmail_unread', {}, tools)) ?? mailPlan(question, tools);
  }
  const calendar = CALENDAR.test(question) || namedRange(question, today) !== null;
  if (calendar && !mail) return calendarPlan(question, tools, today) ?? mailPlan(question, tools);
  return mailPlan(question, tools) ?? calendarPlan(question, tools, today);
}
