/**
 * Answering: one turn per update (who, where, which capability, which failure sentence),
 * commands, free text through `intent/`, button presses, briefings and the notification
 * outbox. Imports `transport/`, `render/` and `store/` of the bot, `front-door/`,
 * `capabilities/`, `intent/`, `connections/` (outbox types), `users/`, `errors.ts`, `log.ts`.
 */
export { buildBriefing } from './briefing.ts';
export { createOutboxDelivery, turnForUser } from './outbox-delivery.ts';
export { createOutboxLoop } from './outbox-loop.ts';
export { createRecentNotices } from './recent-notices.ts';
export { type BotServices, errorReply } from './turn.ts';
export { createUpdateHandler } from './update-handler.ts';
export { createZoneMemory } from './zone-memory.ts';
