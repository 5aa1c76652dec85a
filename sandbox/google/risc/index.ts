/**
 * Cross-Account Protection (RISC) in the Google sandbox: the discovery document, the RISC
 * configuration API, signed security event tokens pushed to registered receivers, and
 * the control API to register receivers, push events and read what was delivered.
 *
 * Builds on `../oauth/` (client authentication, the signing key, grants, scopes) and the
 * core's `../sandbox-state.ts`, and reads control bodies with `../control/control-body.ts`;
 * nothing from `src/`.
 */
export { pushSecurityEvent, riscAudience } from './delivery.ts';
export type { RiscDeps } from './delivery.ts';
export { registerRiscApiRoutes } from './risc-api-routes.ts';
export { registerRiscControlRoutes } from './risc-control-routes.ts';
export { clearRiscState, createRiscState } from './streams.ts';
export type { RiscDelivery, RiscState } from './streams.ts';
export { refreshTokenIdentifier, RISC_EVENT_TYPES } from './security-events.ts';
