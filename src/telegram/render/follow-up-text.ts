/**
 * What the chat says when a follow-up ("open 7", "more", "from her?") needs something it
 * does not have — nothing kept, or kept too long ago, or a number the list does not show
 * — and what to do instead.
 */
import type { FollowUpAction } from '../../intent/index.ts';
import { escapeHtml } from './format/index.ts';
import type { Reply } from './reply.ts';

type Missing = Extract<FollowUpAction, { kind: 'no_list' | 'no_item' | 'no_more' | 'no_person' }>;

function openRange(first: number, last: number): string {
  return first === last ? `Say "open ${first}".` : `Say "open ${first}" to "open ${last}".`;
}

/** The sentence for a follow-up that cannot be answered; `minutes`: how long lists are kept. */
export function missingContextReply(missing: Missing, minutes: number): Reply {
  switch (missing.kind) {
    case 'no_list':
      return {
        html: escapeHtml(
          `I have no list to pick from: I keep what I showed for ${minutes} minutes after your last message. Ask again, for example /inbox, /unread, /today or "anything from Alice?", then say "open 1" or "more".`,
        ),
      };
    case 'no_item': {
      if (missing.last < missing.first) {
        return { html: 'The last list was empty, so there is nothing to open.' };
      }
      const which = missing.asked === 'last' ? 'last one' : `number ${missing.asked}`;
      return {
        html: escapeHtml(
          `There is no ${which} in the last list: it shows ${missing.first} to ${missing.last}. ${openRange(missing.first, missing.last)}`,
        ),
      };
    }
    case 'no_more':
      return {
        html: escapeHtml(
          missing.list === 'mail'
            ? `That was all: there are no more messages (${missing.label}).`
            : `That was the whole agenda for ${missing.label}. Ask about another day, for example "and friday?"`,
        ),
      };
    case 'no_person':
      return {
        html: escapeHtml(
          'I am not sure who you mean. Open a message first, or ask for mail from someone ("anything from Alice?"), then ask "anything else from her?"',
        ),
      };
    default: {
      const unknown: never = missing;
      return unknown;
    }
  }
}

/** An event picked from an agenda that is no longer on the calendar. */
export function eventGoneReply(label: string): Reply {
  return {
    html: escapeHtml(
      `That event is no longer on your calendar for ${label}. Ask for the agenda again to see what is.`,
    ),
  };
}
