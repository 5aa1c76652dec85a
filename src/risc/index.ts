/**
 * Cross-Account Protection (RISC): the receiver of Google's security event tokens, so a
 * grant revoked or an account disabled at Google is acted on within seconds instead of at
 * the next health check. The effects go through `connections/`. Imports `connections/`,
 * `db/`, `errors.ts` and `log.ts`.
 */
export { RISC_PATH, registerRiscReceiver, type RiscReceiverDeps } from './receiver-route.ts';
export { pruneSeenTokens, SEEN_RETENTION_MS } from './seen-tokens.ts';
