/**
 * The control API under `/__sandbox/` (DESIGN.md "Google sandbox control API"), mounted
 * group by group: reset, settings and stats; OAuth clients; users and their avatars; mail
 * and event import; revocation and the consent modes (auto-approve, auto-deny); faults.
 * The RISC control routes live in `risc/`. Control routes are never counted in stats and
 * never faulted.
 */
import type { FastifyInstance } from 'fastify';
import type { RiscDeps } from '../risc/index.ts';
import type { SandboxState } from '../sandbox-state.ts';
import { registerConsentModeRoutes, registerRevokeRoute } from './grant-routes.ts';
import { type ModifyLabels, registerImportRoutes } from './import-routes.ts';
import {
  registerFaultRoutes,
  registerResetRoute,
  registerSettingsRoutes,
  registerStatsRoute,
} from './settings-routes.ts';
import { registerClientRoutes, registerUserRoutes } from './user-routes.ts';

export interface ControlRouteDeps {
  state: SandboxState;
  risc: RiscDeps;
  /** The sandbox clock (the `Date:` of mail written from JSON). */
  now(): Date;
  importMessage(email: string, raw: Buffer, labelIds?: string[]): { id: string; threadId: string };
  modifyLabels?: ModifyLabels;
  expireHistory?(email: string): { historyId: number } | undefined;
  importIcs(email: string, ics: string, calendarId: string): { ids: string[] };
  setPrimaryZone(email: string, timeZone: string): void;
  /** Back to the seed state (stores, grants, settings, faults, stats). */
  reset(): Promise<void>;
}

export function registerControlRoutes(app: FastifyInstance, deps: ControlRouteDeps): void {
  const { state } = deps;
  registerResetRoute(app, deps.reset);
  registerClientRoutes(app, state);
  registerUserRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerRevokeRoute(app, deps);
  registerConsentModeRoutes(app, state);
  registerSettingsRoutes(app, state);
  registerFaultRoutes(app, state);
  registerStatsRoute(app, state);
}
