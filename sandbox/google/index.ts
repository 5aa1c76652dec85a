/**
 * The Google sandbox: one HTTP server with Google's OAuth 2.0 / OpenID Connect endpoints,
 * Gmail v1 and Calendar v3 on Google's paths, and a control API under `/__sandbox/`.
 * `startGoogleSandbox` runs it in-process (tests, demo); `runGoogleSandboxCli` from a shell.
 *
 * Where things live: `oauth/` (sign-in, consent, tokens, grants, ID tokens, discovery),
 * `gmail/` and `calendar/` (the APIs, which see the core only through `context.ts`),
 * `risc/` (Cross-Account Protection), `control/` (the `/__sandbox/` API and injected
 * faults); the core here ties them together: `server.ts`, `start.ts`, `cli.ts`, the state,
 * the seed, the per-user rate limits and Google's error envelope.
 * Imports nothing from `src/` or `../telegram/`.
 */
export { runGoogleSandboxCli, parseGoogleSandboxArgs } from './cli.ts';
export { startGoogleSandbox, DEFAULT_SEED_DIR } from './start.ts';
export type { GoogleSandbox, GoogleSandboxOptions } from './start.ts';
export type { SandboxContext, SandboxUser } from './context.ts';
export type { Settings as GoogleSandboxSettings } from './sandbox-state.ts';
export { SCOPES, GMAIL_READ_SCOPES, CALENDAR_READ_SCOPES } from './context.ts';
export type { RiscDelivery } from './risc/streams.ts';
