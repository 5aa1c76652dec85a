/**
 * The Google sandbox: one HTTP server with Google's OAuth 2.0 / OpenID Connect endpoints,
 * Gmail v1 and Calendar v3 on Google's paths, and a control API under `/__sandbox/`.
 * `startGoogleSandbox` runs it in-process (tests, demo); `runGoogleSandboxCli` from a shell.
 */
export { runGoogleSandboxCli, parseGoogleSandboxArgs } from './cli.ts';
export { startGoogleSandbox, DEFAULT_SEED_DIR } from './start.ts';
export type { GoogleSandbox, GoogleSandboxOptions } from './start.ts';
export type { SandboxContext, SandboxUser } from './context.ts';
export { SCOPES, GMAIL_READ_SCOPES, CALENDAR_READ_SCOPES } from './context.ts';
