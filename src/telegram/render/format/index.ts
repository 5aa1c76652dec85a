/**
 * Telegram HTML formatting: escaping and builders, message splitting under Telegram's
 * limit, truncation, and locale-aware wording for times and days.
 */
export {
  blockquote,
  bold,
  code,
  escapeHtml,
  html,
  italic,
  link,
  pre,
  underline,
} from './html.ts';
export type { Content, SafeHtml } from './html.ts';
export { splitMessage, TELEGRAM_TEXT_LIMIT, visibleLength } from './split-message.ts';
export { truncate } from './truncate.ts';
export { formatDayHeading, formatRelative, formatTimeRange, formatWhen } from './time-format.ts';
export type { WhenOptions } from './time-format.ts';
