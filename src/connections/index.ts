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
export { createOutbox, type Outbox } from './outbox.ts';
export { LEASE_MS } from './refresh-lease.ts';
export { type ConnectionStore, createConnectionStore, type GrantInput } from './store.ts';
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
export { createUserStore, type UserStore } from './users.ts';
export { capabilitiesOf, scopesOf, toConnectionView } from './views.ts';
