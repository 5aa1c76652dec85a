/**
 * What the bot keeps in the database: the update ids already answered, what inline
 * buttons stand for, each chat's context for follow-ups, and which messages carry connect
 * buttons. Imports `db/` (and the type of the model path's history).
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
