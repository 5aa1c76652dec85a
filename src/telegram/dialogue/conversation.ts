/**
 * Free text: the deterministic intent router reads the message in the user's zone, and
 * the matching handler answers. A message it does not understand gets examples.
 */
import { routeIntent } from '../../intent/index.ts';
import type { Intent } from '../../intent/index.ts';
import { escapeHtml } from '../render/index.ts';
import { actionsReply, buildBriefing } from './briefing.ts';
import { agenda, freeTime, nextCommand, routeContext } from './calendar-handlers.ts';
import { helpReply, notUnderstoodReply } from '../render/index.ts';
import { searchMail, unreadCommand } from './mail-handlers.ts';
import type { Reply } from '../render/index.ts';
import type { Turn } from './turn.ts';

export async function answerIntent(turn: Turn, intent: Intent): Promise<Reply> {
  switch (intent.kind) {
    case 'agenda':
      return agenda(turn, intent);
    case 'free_at':
    case 'free_slots':
      return freeTime(turn, intent);
    case 'next':
      return nextCommand(turn);
    case 'mail_search':
      return searchMail(turn, intent.query, intent.label);
    case 'unread':
      return unreadCommand(turn);
    case 'actions':
      return actionsReply(turn, intent.days, intent.label);
    case 'briefing':
      return buildBriefing(turn);
    case 'help':
      return helpReply();
    case 'greeting':
      return {
        html: `Hello, ${escapeHtml(turn.user.displayName)}! Ask me about your mail or your calendar, or send /help.`,
      };
    case 'unknown':
      return notUnderstoodReply(intent.suggestions);
    default: {
      const unhandled: never = intent;
      return notUnderstoodReply([String(unhandled)]);
    }
  }
}

export async function answerText(turn: Turn, text: string): Promise<Reply> {
  return answerIntent(turn, routeIntent(text, await routeContext(turn)));
}
