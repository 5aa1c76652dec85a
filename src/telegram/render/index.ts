/**
 * Turning results into Telegram messages: HTML that Telegram accepts, long answers split,
 * dates and times in the user's zone and locale, the sentence for every error code, help
 * texts, and the reply shape (text, buttons) every handler answers with, stripped of
 * invisible characters on its way out. Imports `capabilities/` (output types),
 * `agent-tools/` (`neutralise`), `intent/` (follow-up types) and `errors.ts`; nothing of
 * the bot's other folders.
 */
export {
  type ErrorSentence,
  errorSentence,
  reauthClause,
  UNEXPECTED_SENTENCE,
} from './error-sentences.ts';
export { LOGIN_BUTTON_REFUSED, loginButton, plainConnectButtons } from './connect-button.ts';
export { bold, escapeHtml } from './format/index.ts';
export {
  canDoReply,
  COMMANDS,
  helpReply,
  MODEL_UNAVAILABLE_NOTE,
  privacyReply,
} from './help-text.ts';
export { eventGoneReply, missingContextReply } from './follow-up-text.ts';
export { DEFAULT_LOCALE, localeOf } from './locale.ts';
export { renderActions } from './render-actions.ts';
export { type Part, renderBriefing } from './render-briefing.ts';
export { renderAgenda, renderFreeAt, renderFreeSlots, renderNext } from './render-calendar.ts';
export { renderEvent } from './render-event.ts';
export { type MailPageButtons, renderMailPage, renderMessage } from './render-mail.ts';
export { renderUnreadPage } from './render-unread.ts';
export { plain, replaceReply, type Reply, sendReply, type View } from './reply.ts';
