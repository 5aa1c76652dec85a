/**
 * What the bot keeps in the database: the update ids already answered and what inline
 * buttons stand for. Imports `db/` only.
 */
export { type Buttons, createButtons, type MailPageState } from './button-state.ts';
export { createTelegramStore, type TelegramStore } from './telegram-store.ts';
