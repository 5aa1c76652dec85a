/**
 * What the bot keeps in the database: the inbox of updates waiting to be answered, the
 * update ids already answered, what inline buttons stand for, each chat's context for
 * follow-ups, and which messages carry connect buttons. Imports `db/` (and the types of
 * the model path's history and of the inbox's contract in `transport/`).
 */
export { type Buttons, createButtons, type MailPageState } from './button-state.ts';
export {
  type AgendaListState,
  type AskedRange,
  CHAT_CONTEXT_TTL_MS,
  type ChatContext,
  clip,
  EMPTY_CONTEXT,
  type Exchange,
  historyOf,
  MAX_EVENTS,
  MAX_QUESTIONS,
  type MailListState,
  parseChatContext,
  type Person,
  QUESTION_CHARS,
  SHOWN_CHARS,
  type ShownList,
} from './chat-context.ts';
export {
  type ConnectButtonsMessage,
  createTelegramStore,
  type TelegramStore,
} from './telegram-store.ts';
export { createUpdateInbox, releaseAllChatLeases } from './update-inbox.ts';
