/**
 * Talking to Telegram: long polling, the webhook route, which updates the bot can read,
 * answering each chat's updates in order from the inbox every instance shares (or, for a
 * store kept in memory, in this process), the per-user rate limit, the "typing…"
 * indicator, and error descriptions safe to log. Imports nothing of the bot's other
 * folders; only `common/` and `log.ts`.
 */
export { chatKeyOf, createChatQueue } from './chat-queue.ts';
export {
  type ChatLease,
  createInboxWorker,
  type InboxEntry,
  type InboxWorker,
  type NewInboxEntry,
  type UpdateInbox,
} from './inbox-worker.ts';
export { loggableError } from './loggable-error.ts';
export { createPoller, type Poller } from './polling.ts';
export { createRateLimiter, type RateLimiter } from './rate-limit.ts';
export { type CheckedUpdate, checkUpdate } from './update-shape.ts';
export { withTyping } from './typing.ts';
export { createUpdateIntake, type UpdateIntake } from './update-intake.ts';
export { registerTelegramWebhook, type UpdateReceiver, WEBHOOK_PATH } from './webhook-route.ts';
