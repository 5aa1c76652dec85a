/**
 * Starts the Google sandbox in-process on a port: builds the app with the Gmail and
 * Calendar modules, listens, and learns its own base URL (which is also the issuer).
 */
import { fileURLToPath } from 'node:url';
import { createCalendarStore, loadCalendarSeed, registerCalendarRoutes } from './calendar/index.ts';
import { createGmailStore, loadGmailSeed, registerGmailRoutes } from './gmail/index.ts';
import type { Settings } from './sandbox-state.ts';
import { buildGoogleSandboxApp } from './server.ts';

export interface GoogleSandboxOptions {
  /** 0 = any free port; default 4010. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed folder (default `sandbox/seed`), or false to start empty. */
  seed?: string | false;
  /** The sandbox clock (default: the real one). */
  now?: () => Date;
  /**
   * Settings to start (and reset) with instead of Google's defaults, as `PUT
   * /__sandbox/settings` takes them: e.g. `{ gmailConcurrentRequestsPerUser: 3 }`,
   * `{ publishingStatus: 'testing' }`, `{ refreshTokensPerClient: 2 }`.
   */
  settings?: Partial<Settings>;
  /** History records each mailbox keeps before the oldest are dropped (default 1000). */
  historyLimit?: number;
}

export interface GoogleSandbox {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:4010`; also the OIDC issuer. */
  url: string;
  close(): Promise<void>;
  /** Back to the seed state. */
  reset(): Promise<void>;
}

export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../seed/', import.meta.url));

/** The real Gmail and Calendar modules, as the core mounts them. */
const apiModules = (historyLimit: number | undefined) => ({
  gmail: {
    createStore: (now: () => Date) =>
      createGmailStore({ now, ...(historyLimit === undefined ? {} : { historyLimit }) }),
    loadSeed: loadGmailSeed,
    register: registerGmailRoutes,
  },
  calendar: {
    createStore: (now: () => Date) => createCalendarStore({ now }),
    loadSeed: loadCalendarSeed,
    register: registerCalendarRoutes,
  },
});

export async function startGoogleSandbox(
  options: GoogleSandboxOptions = {},
): Promise<GoogleSandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? DEFAULT_SEED_DIR;
  let url = '';
  const sandbox = await buildGoogleSandboxApp(
    {
      now: options.now ?? (() => new Date()),
      baseUrl: () => url,
      seedDir: seed === false ? null : seed,
      ...(options.settings ? { settings: options.settings } : {}),
    },
    apiModules(options.historyLimit),
  );
  await sandbox.app.listen({ port: options.port ?? 4010, host });
  const address = sandbox.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${urlHost}:${port}`;
  return { url, close: () => sandbox.app.close(), reset: sandbox.reset };
}
