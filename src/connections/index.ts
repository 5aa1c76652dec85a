export {
  type Broker,
  type BrokerDeps,
  createBroker,
  MIN_VALIDITY_MS,
  type RefreshOutcome,
} from './broker.ts';
export { createOutbox, type Outbox } from './outbox.ts';
export { type ConnectionStore, createConnectionStore, type GrantInput } from './store.ts';
export { TOKEN_PURPOSE, type TokenBundle } from './token-bundle.ts';
export { recordEvent, transition } from './transitions.ts';
export { createUserStore, type UserStore } from './users.ts';
export { capabilitiesOf, toConnectionView } from './views.ts';
