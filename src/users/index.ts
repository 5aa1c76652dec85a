/**
 * Users: the person behind a Telegram account or an API key, with their zone, locale and
 * settings. Owns the `users` table. Imports only `db/` and `errors.ts`.
 */
export { createUserStore, type UserStore } from './store.ts';
export type { UserRecord, UserSettings } from './user.ts';
