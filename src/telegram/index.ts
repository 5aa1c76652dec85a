/**
 * The Telegram front door: the grammY bot (commands, free text, buttons, notifications)
 * and the webhook route for Fastify.
 */
export { createTelegramBot } from './bot.ts';
export type { TelegramBot, TelegramBotDeps } from './bot.ts';
export { registerTelegramWebhook } from './webhook.ts';
export { errorSentence } from './error-sentences.ts';
export type { ErrorSentence } from './error-sentences.ts';
export { createTelegramStore } from './telegram-store.ts';
