/**
 * Public surface of the API keys: the store the runtime API authenticates with and the
 * admin commands manage keys through.
 */
export { createApiKeyStore, LAST_USED_THROTTLE_MS } from './api-key-store.ts';
export type { ApiKeyInfo, ApiKeyStore, CreatedApiKey } from './api-key-store.ts';
export { prefixOfKey } from './key-format.ts';
