/**
 * Answers a follow-up ("open 1", "more", "and friday?", "from her?", "unread ones?")
 * against what the chat kept: the message or event picked from the last list, its next
 * page, the same question for another day, mail from the last person, the last mail list
 * unread only. When what it needs is not kept (never shown, or expired, or a number the
 * list does not show), the answer says so and what to do instead.
 */
import { calendarAgenda } from '../../capabilities/index.ts';
import { resolveFollowUp } from '../../intent/index.ts';
import type { FollowUp, RouteContext } from '../../intent/index.ts';
import { eventGoneReply, missingContextReply, renderEvent } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { type AgendaListState, CHAT_CONTEXT_TTL_MS } from '../store/index.ts';
import { agenda, freeTime } from './calendar-handlers.ts';
import { followUpContext } from './chat-memory.ts';
import { openMessage, pageByKey, searchMail, unreadCommand } from './mail-handlers.ts';
import type { Turn } from './turn.ts';

const KEPT_MINUTES = Math.round(CHAT_CONTEXT_TTL_MS / 60_000);

function noList(turn: Turn): Reply {
  turn.notes.said = 'Had no list to pick from (nothing kept, or it expired).';
  return missingContextReply({ kind: 'no_list' }, KEPT_MINUTES);
}

/** The event at `index` of the agenda shown, read again from the calendar. */
async function openEvent(turn: Turn, list: AgendaListState, index: number): Promise<Reply> {
  const eventId = list.eventIds[index];
  const output = await turn.run(calendarAgenda, { from: list.from, to: list.to });
  const event = output.events.find((e) => e.id === eventId);
  turn.notes.said = `Opened event ${index + 1} of the agenda for ${list.label}.`;
  if (!event) return eventGoneReply(list.label);
  return renderEvent(event, output.timeZone, await turn.view());
}

/** The answer to a follow-up; null when it is no follow-up after all (the router reads it). */
export async function answerFollowUp(
  turn: Turn,
  followUp: FollowUp,
  ctx: RouteContext,
): Promise<Reply | null> {
  const context = await turn.context();
  const action = resolveFollowUp(followUp, followUpContext(context), ctx);
  const list = context?.list ?? null;
  switch (action.kind) {
    case 'open':
      if (list?.kind === 'mail') {
        const id = list.messageIds[action.index];
        return id ? openMessage(turn, id, list.first + action.index) : noList(turn);
      }
      return list ? openEvent(turn, list, action.index) : noList(turn);
    case 'next_page': {
      const key = list?.kind === 'mail' ? list.nextPage : null;
      return (key ? await pageByKey(turn, key) : null) ?? noList(turn);
    }
    case 'agenda':
      turn.notes.range = { ...action.range, asked: 'agenda' };
      return agenda(turn, action.range);
    case 'free':
      if (action.intent.kind === 'free_slots') {
        const { from, to, label } = action.intent;
        turn.notes.range = { from, to, label, asked: 'free' };
      }
      return freeTime(turn, action.intent);
    case 'mail_search':
      return searchMail(turn, action.query, action.label);
    case 'unread':
      return unreadCommand(turn);
    case 'route':
      return null;
    case 'no_list':
      return noList(turn);
    case 'no_item':
    case 'no_more':
    case 'no_person':
      turn.notes.said = `Could not follow up: ${action.kind.replace('_', ' ')}.`;
      return missingContextReply(action, KEPT_MINUTES);
    default: {
      const unknown: never = action;
      return unknown;
    }
  }
}
