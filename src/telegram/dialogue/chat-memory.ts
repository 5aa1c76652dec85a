/**
 * The chat's memory between messages (`store/chat-context.ts`): handlers note what an
 * exchange showed and asked (`TurnNotes`); once answered, the notes are folded into the
 * kept context and written back, whole, for another 15 minutes. Reading or writing it
 * never fails an answer: a failure is a warning in the log, and the answer goes out
 * without it. What is noted is structural — ids, labels, the sender's name and address,
 * the user's own words — never mail text.
 */
import type { FollowUpContext } from '../../intent/index.ts';
import {
  CHAT_CONTEXT_TTL_MS,
  type ChatContext,
  clip,
  EMPTY_CONTEXT,
  MAX_EVENTS,
  MAX_QUESTIONS,
  type AskedRange,
  type MailListState,
  parseChatContext,
  type Person,
  QUESTION_CHARS,
  SHOWN_CHARS,
  type ShownList,
} from '../store/index.ts';
import { loggableError } from '../transport/index.ts';
import type { Logger } from '../../log.ts';
import type { TelegramStore } from '../store/index.ts';

/** What keeping the chat's memory needs of the bot. */
interface MemoryServices {
  store: Pick<TelegramStore, 'chatContext' | 'keepChatContext'>;
  logger: Logger;
}

/** What keeping the chat's memory needs of a turn (`turn.ts` `Turn` is one). */
interface RememberingTurn {
  services: MemoryServices;
  user: { id: string };
  chatId: number;
  notes: TurnNotes;
  context(): Promise<ChatContext | null>;
}

/** What one exchange showed or was asked, as its handlers noted it. */
export interface TurnNotes {
  /** A page of mail shown. */
  mail?: MailListState;
  /** An agenda the calendar answered for a range: its events, in the order shown. */
  agenda?: { from: string; to: string; eventIds: string[] };
  /** The day range asked about, and what for. */
  range?: AskedRange;
  mailQuery?: { query: string; label: string };
  person?: Person;
  /** What was shown, when the handler says it better than the list does. */
  said?: string;
}

/** The list the exchange showed, if any: a mail page, or the agenda asked for. */
function listOf(notes: TurnNotes): ShownList | null {
  if (notes.mail) return notes.mail;
  if (!notes.agenda || notes.range?.asked !== 'agenda') return null;
  return {
    kind: 'agenda',
    from: notes.agenda.from,
    to: notes.agenda.to,
    label: notes.range.label,
    eventIds: notes.agenda.eventIds.slice(0, MAX_EVENTS),
  };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A short, structural note of what the exchange showed (no mail text). */
function describe(notes: TurnNotes, list: ShownList | null, fallback: string): string {
  if (notes.said) return notes.said;
  if (list?.kind === 'mail') {
    const n = list.messageIds.length;
    if (n === 0) return `Found no messages (${list.label}).`;
    const more = list.nextPage ? '; more can follow' : '';
    return `Listed ${plural(n, 'message', 'messages')} (${list.label}), numbered ${list.first} to ${list.first + n - 1}${more}.`;
  }
  if (list?.kind === 'agenda') {
    return `Showed the agenda for ${list.label}: ${plural(list.eventIds.length, 'event', 'events')}.`;
  }
  return fallback;
}

/**
 * The context after an exchange: what it noted over what was kept, and the question
 * (null for a button press) added to the last few. Null when there is nothing to keep.
 */
export function nextContext(
  previous: ChatContext | null,
  notes: TurnNotes,
  question: string | null,
  fallback = 'Answered.',
): ChatContext | null {
  const list = listOf(notes);
  const noted = list || notes.range || notes.mailQuery || notes.person;
  if (question === null && !noted) return null;
  const base = previous ?? EMPTY_CONTEXT;
  const exchange = {
    question: clip(question ?? '', QUESTION_CHARS),
    shown: clip(describe(notes, list, fallback), SHOWN_CHARS),
  };
  return {
    v: 1,
    list: list ?? base.list,
    range: notes.range ?? base.range,
    mailQuery: notes.mailQuery ?? base.mailQuery,
    person: notes.person ?? base.person,
    history: question === null ? base.history : [...base.history, exchange].slice(-MAX_QUESTIONS),
  };
}

/** The kept context of a user; null when there is none, it expired, or it cannot be read. */
export async function loadContext(
  services: MemoryServices,
  userId: string,
): Promise<ChatContext | null> {
  try {
    return parseChatContext(await services.store.chatContext(userId));
  } catch (error) {
    services.logger.warn({ err: loggableError(error), userId }, 'could not read the chat context');
    return null;
  }
}

/** Keeps what this exchange showed and asked; a failure is logged, never thrown. */
export async function rememberExchange(
  turn: RememberingTurn,
  question: string | null,
  fallback?: string,
): Promise<void> {
  const { store, logger } = turn.services;
  try {
    const next = nextContext(await turn.context(), turn.notes, question, fallback);
    if (!next) return;
    await store.keepChatContext(turn.user.id, turn.chatId, next, CHAT_CONTEXT_TTL_MS);
  } catch (error) {
    logger.warn(
      { err: loggableError(error), userId: turn.user.id },
      'could not keep the chat context',
    );
  }
}

/** What follow-ups need of the kept context. */
export function followUpContext(context: ChatContext | null): FollowUpContext | null {
  if (!context) return null;
  const { list } = context;
  return {
    list:
      list?.kind === 'mail'
        ? {
            kind: 'mail',
            first: list.first,
            count: list.messageIds.length,
            hasMore: list.nextPage !== null,
            label: list.label,
          }
        : list?.kind === 'agenda'
          ? {
              kind: 'agenda',
              first: 1,
              count: list.eventIds.length,
              hasMore: false,
              label: list.label,
            }
          : null,
    asked: context.range?.asked ?? null,
    mailQuery: context.mailQuery,
    person: context.person,
  };
}
