/**
 * The Telegram sandbox: an offline stand-in for the Telegram Bot API that a grammY bot
 * uses unmodified (only `client.apiRoot` changes), a control API under `/__sandbox/` to act
 * as users and read what the bot sent, and a web chat at `/chat`. See README.md here.
 *
 * Self-contained: imports nothing from `src/` or `../google/`.
 */
export { runTelegramSandboxCli, DEFAULT_PORT } from './cli.ts';
export { startTelegramSandbox } from './server.ts';
export type { TelegramSandbox, TelegramSandboxOptions } from './server.ts';
export type { DemoMail, DemoMailOptions } from './demo-mail.ts';
export type { InboxItem } from './chat-views.ts';
export { ControlApiError, createTelegramControl } from './control-client.ts';
export type { SandboxStats, TelegramControl } from './control-client.ts';
export type { CallbackAnswer, ChatAction, SandboxSettings } from './types.ts';
