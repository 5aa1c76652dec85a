/**
 * Connections: the domain core. A Google connection's record, status machine and history,
 * the broker that hands out fresh access tokens (single-flight refresh), Cross-Account
 * Protection events applied to it, and the notification outbox. Owns the `connections`,
 * `connection_events` and `notifications` tables. Imports `db/`, `vault/`, `google/` (scope
 * rules, the token source it implements), `errors.ts` and `log.ts`; never a front door.
 */
export {
  type Broker,
  type BrokerDeps,
  createBroker,
  MIN_VALIDITY_MS,
  type RefreshOptions,
  type RefreshOutcome,
} from './broker.ts';
export type { DisconnectOutcome } from './disconnect.ts';
export type { ConnectionMetrics } from './metrics.ts';
export { clearAllClaims, createOutbox, type Outbox, type OutboxEntry } from './outbox.ts';
export {
  insertNotification,
  type NewNotification,
  type NotificationKind,
  type OutboxItem,
} from './notifications.ts';
export { clearAllLeases, LEASE_MS } from './refresh-lease.ts';
export {
  type ConnectionStore,
  type ConnectionStoreDeps,
  createConnectionStore,
  type GrantInput,
} from './store.ts';
export {
  applySecurityEvents,
  connectionsConcerned,
  type SecurityEvent,
  type SecurityEventDeps,
  type SecurityOutcome,
  type SecuritySubject,
} from './security-events.ts';
export { TOKEN_PURPOSE, type TokenBundle } from './token-bundle.ts';
export {
  type RefreshResult,
  type TokenEndpoint,
  TokenFailure,
  type TokenFailureKind,
} from './token-endpoint.ts';
export { recordEvent, transition } from './transitions.ts';
export { capabilitiesOf, type ConnectionView, scopesOf, toConnectionView } from './views.ts';
