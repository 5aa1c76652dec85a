/**
 * Free text: a follow-up on what the chat showed last ("open 1", "more", "and friday?") is
 * answered from the kept context first; anything else goes to the deterministic intent
 * router, read in the user's zone, and the matching handler answers. The day range a
 * question asks about is noted for the follow-ups after it. A message nothing answers
 * goes to the chat model when one is set up, else gets what the bot can do
 * (`fallbackReply`).
 */
import { AssistantUnavailable } from '../../assistant/index.ts';
import { readFollowUp, routeIntent } from '../../intent/index.ts';
import type { Intent } from '../../intent/index.ts';
import { canDoReply, escapeHtml, helpReply, MODEL_UNAVAILABLE_NOTE } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { actionsReply, buildBriefing } from './briefing.ts';
import { agenda, freeTime, nextCommand, routeContext } from './calendar-handlers.ts';
import { answerFollowUp } from './follow-up-handlers.ts';
import { searchMail, unreadCommand } from './mail-handlers.ts';
import { historyOf } from '../store/index.ts';
import { withTyping } from '../transport/index.ts';
import type { Turn } from './turn.ts';
import { createWatch, removeWatchByWords, watchesCommand } from './watch-handlers.ts';

type UnknownIntent = Extract<Intent, { kind: 'unknown' }>;

/**
 * The answer to a message that neither a follow-up nor the router can place: the chat
 * model's, when one is set up (with the chat's recent context as history, "typing…"
 * while it works); else, or when the model fails, what the bot can do, with examples.
 */
export async function fallbackReply(
  turn: Turn,
  text: string,
  intent: UnknownIntent,
): Promise<Reply> {
  const { assistant } = turn.services;
  if (assistant && text.trim() !== '') {
    try {
      const request = {
        userId: turn.user.id,
        question: text,
        zone: await turn.zone(),
        locale: turn.locale,
        now: turn.services.now(),
        history: historyOf(await turn.context()),
      };
      const answer = await withTyping(turn.api, turn.chatId, turn.services.typingAfterMs, () =>
        assistant.answer(request),
      );
      const ran = answer.toolCalls.filter((call) => call.outcome === 'ran').length;
      turn.notes.said = `Answered by the model (${ran} ${ran === 1 ? 'lookup' : 'lookups'}).`;
      return { html: answer.html };
    } catch (error) {
      if (!(error instanceof AssistantUnavailable)) throw error;
      // The assistant logged why; the person gets the router's answer with a short note.
      turn.notes.said = 'The model did not answer; listed what I can do.';
      return canDoReply(intent.suggestions, MODEL_UNAVAILABLE_NOTE);
    }
  }
  turn.notes.said = 'Did not understand; listed what I can do.';
  return canDoReply(intent.suggestions);
}

export async function answerIntent(turn: Turn, intent: Intent, text = ''): Promise<Reply> {
  switch (intent.kind) {
    case 'agenda':
      turn.notes.range = { from: intent.from, to: intent.to, label: intent.label, asked: 'agenda' };
      return agenda(turn, intent);
    case 'free_slots':
      turn.notes.range = { from: intent.from, to: intent.to, label: intent.label, asked: 'free' };
      return freeTime(turn, intent);
    case 'free_at':
      turn.notes.range = { from: intent.at, to: intent.at, label: intent.label, asked: 'free' };
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
    case 'watch_create':
      return createWatch(turn, intent.query);
    case 'watch_list':
      return watchesCommand(turn);
    case 'watch_remove':
      return removeWatchByWords(turn, intent.target);
    case 'help':
      return helpReply();
    case 'greeting':
      return {
        html: `Hello, ${escapeHtml(turn.user.displayName)}! Ask me about your mail or your calendar, or send /help.`,
      };
    case 'unknown':
      return fallbackReply(turn, text, intent);
    default: {
      const unhandled: never = intent;
      return fallbackReply(turn, text, { kind: 'unknown', suggestions: [String(unhandled)] });
    }
  }
}

export async function answerText(turn: Turn, text: string): Promise<Reply> {
  const ctx = await routeContext(turn);
  const followUp = readFollowUp(text, ctx);
  const answer = followUp ? await answerFollowUp(turn, followUp, ctx) : null;
  return answer ?? answerIntent(turn, routeIntent(text, ctx), text);
}
