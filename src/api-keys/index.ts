/**
 * API keys: per-user keys for the runtime API, stored as hashes (never the key), with a
 * prefix to name them, last use and revocation. Owns the `api_keys` table. Imports `db/`,
 * `common/` and `errors.ts`.
 */
export { createApiKeyStore, LAST_USED_THROTTLE_MS } from './api-key-store.ts';
export type { ApiKeyInfo, ApiKeyStore, CreatedApiKey } from './api-key-store.ts';
export { prefixOfKey } from './key-format.ts';
