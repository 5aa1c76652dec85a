/**
 * The Telegram front door: the grammY bot (commands, free text, buttons, notifications),
 * its webhook route and registration, and what it keeps in the database. Split by
 * concern: `transport/` talks to Telegram (polling, webhook route, the inbox worker and
 * per-chat order, rate limit, typing), `dialogue/` answers (commands, free text, buttons,
 * briefings, the outbox), `render/` turns results into Telegram HTML, `store/` keeps the
 * inbox of updates waiting to be answered, updates seen and button state. Imports
 * `front-door/` (the contract), `capabilities/` (definitions and output types), `intent/`,
 * `connections/` (the outbox), `db/`, `errors.ts`, `log.ts`.
 */
export { createTelegramBot } from './bot.ts';
export type { TelegramBot, TelegramBotDeps } from './bot.ts';
export { type ErrorSentence, errorSentence } from './render/index.ts';
export { createTelegramStore, releaseAllChatLeases, type TelegramStore } from './store/index.ts';
export { registerTelegramWebhook, WEBHOOK_PATH } from './transport/index.ts';
