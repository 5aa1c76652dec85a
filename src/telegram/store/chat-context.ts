/**
 * What a chat remembers between messages, briefly, so that "open 1", "more" or "and
 * friday?" can be answered: the last list shown (a mail page with its message ids in
 * order and the key of its next page, or an agenda with its event ids), the last day
 * range asked about, the last mail search, the last person (the sender of the mail last
 * opened, or of a list filtered by sender), and the last few questions, each with a short
 * structural note of what was shown — never mail text. Kept in the database
 * (`telegram-store.ts`) so that any instance can answer, for 15 minutes after the last
 * exchange. `historyOf` gives the model path its `history`.
 */
import { z } from 'zod';
import type { HistoryEntry } from '../../assistant/index.ts';

/** How long a chat's context lasts after its last exchange. */
export const CHAT_CONTEXT_TTL_MS = 15 * 60_000;
/** The questions kept, at most, and how much of each. */
export const MAX_QUESTIONS = 6;
export const QUESTION_CHARS = 300;
/** How much of the note of what was shown is kept. */
export const SHOWN_CHARS = 300;
/** The events of an agenda kept, at most (the first ones: the ones people pick). */
export const MAX_EVENTS = 200;

const Person = z.object({ email: z.string().max(320), name: z.string().max(200).nullable() });

const MailList = z.object({
  kind: z.literal('mail'),
  query: z.string().max(600),
  label: z.string().max(300),
  /** The number the first message shows. */
  first: z.number().int().positive(),
  messageIds: z.array(z.string().max(100)).max(50),
  /** The button-state key of the next page, when there is one. */
  nextPage: z.string().max(20).nullable(),
  /** Shown as the unread list (sender, subject, age). */
  unread: z.boolean(),
});

const AgendaList = z.object({
  kind: z.literal('agenda'),
  from: z.string().max(40),
  to: z.string().max(40),
  label: z.string().max(200),
  eventIds: z.array(z.string().max(1100)).max(MAX_EVENTS),
});

const Range = z.object({
  from: z.string().max(40),
  to: z.string().max(40),
  label: z.string().max(200),
  /** What it was asked for: an agenda, or free time. */
  asked: z.enum(['agenda', 'free']),
});

const Exchange = z.object({
  question: z.string().max(QUESTION_CHARS),
  shown: z.string().max(SHOWN_CHARS),
});

export const ChatContextSchema = z.object({
  v: z.literal(1),
  list: z.discriminatedUnion('kind', [MailList, AgendaList]).nullable(),
  range: Range.nullable(),
  mailQuery: z.object({ query: z.string().max(600), label: z.string().max(300) }).nullable(),
  person: Person.nullable(),
  history: z.array(Exchange).max(MAX_QUESTIONS),
});

export type ChatContext = z.infer<typeof ChatContextSchema>;
export type ShownList = NonNullable<ChatContext['list']>;
export type MailListState = z.infer<typeof MailList>;
export type AgendaListState = z.infer<typeof AgendaList>;
export type AskedRange = z.infer<typeof Range>;
export type Person = z.infer<typeof Person>;
export type Exchange = z.infer<typeof Exchange>;

export const EMPTY_CONTEXT: ChatContext = {
  v: 1,
  list: null,
  range: null,
  mailQuery: null,
  person: null,
  history: [],
};

/** A kept value read back: the context, or null when it is not one (another version's). */
export function parseChatContext(value: unknown): ChatContext | null {
  const parsed = ChatContextSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Text clipped to `max` characters, on a whole character. */
export function clip(text: string, max: number): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** The chat's recent exchanges for the model path, oldest first. */
export function historyOf(context: ChatContext | null): HistoryEntry[] {
  return (context?.history ?? []).flatMap((exchange): HistoryEntry[] => [
    { role: 'user', text: exchange.question },
    { role: 'assistant', text: exchange.shown },
  ]);
}
