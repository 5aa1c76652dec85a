/**
 * The Google sandbox's control API under `/__sandbox/` (reset, OAuth clients, users and
 * avatars, mail and event import, revocation, auto-approve and auto-deny, settings, faults,
 * stats), and the `onRequest` hook that applies injected faults to every other route.
 *
 * Builds on the core (`../sandbox-state.ts`, `../context.ts`, `../google-errors.ts`),
 * `../oauth/` and `../risc/`; `risc/` in turn reads its control bodies with
 * `control-body.ts` directly (not through this index, which would close a circle).
 * Nothing here imports from `src/`.
 */
export { registerControlRoutes } from './control-routes.ts';
export type { ControlRouteDeps } from './control-routes.ts';
export type { ModifyLabels } from './import-routes.ts';
export { applyFaults, isControlPath } from './faults.ts';
export type { FaultDeps } from './faults.ts';
