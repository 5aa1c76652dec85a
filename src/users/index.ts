/**
 * Users: the person behind a Telegram account or an API key, with their zone, locale and
 * settings. Owns the `users` table. Imports `db/`, `errors.ts`, and `api-keys/` (a deleted
 * user's keys are forgotten at once).
 */
export {
  createUserStore,
  RECENT_USER_TTL_MS,
  type UserStore,
  type UserStoreOptions,
} from './store.ts';
export type { UserRecord, UserSettings } from './user.ts';
