/**
 * Starts the Google sandbox in-process on a port: builds the app with the Gmail and
 * Calendar modules, listens, and learns its own base URL (which is also the issuer).
 */
import { fileURLToPath } from 'node:url';
import type { CalendarStoreLike, MailStoreLike, ApiModule } from './server.ts';
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
}

export interface GoogleSandbox {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:4010`; also the OIDC issuer. */
  url: string;
  close(): Promise<void>;
  /** Back to the seed state. */
  reset(): Promise<void>;
}

export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../seed/', import.meta.url));

interface ModuleExports {
  [name: string]: unknown;
}

/** Loads the Gmail and Calendar modules; a module not present yet is replaced by an empty one. */
async function loadApiModules(): Promise<{
  gmail: ApiModule<MailStoreLike>;
  calendar: ApiModule<CalendarStoreLike>;
}> {
  const load = async (path: string): Promise<ModuleExports | null> => {
    try {
      return (await import(path)) as ModuleExports;
    } catch {
      return null;
    }
  };
  const missing = (): never => {
    throw new Error('this module is not available');
  };
  const gmail = await load('./gmail/index.ts');
  const calendar = await load('./calendar/index.ts');
  return {
    gmail: gmail
      ? {
          createStore: gmail.createGmailStore as ApiModule<MailStoreLike>['createStore'],
          loadSeed: gmail.loadGmailSeed as ApiModule<MailStoreLike>['loadSeed'],
          register: gmail.registerGmailRoutes as ApiModule<MailStoreLike>['register'],
        }
      : {
          createStore: () => ({ reset() {}, importMessage: missing }),
          loadSeed: async () => {},
          register() {},
        },
    calendar: calendar
      ? {
          createStore: calendar.createCalendarStore as ApiModule<CalendarStoreLike>['createStore'],
          loadSeed: calendar.loadCalendarSeed as ApiModule<CalendarStoreLike>['loadSeed'],
          register: calendar.registerCalendarRoutes as ApiModule<CalendarStoreLike>['register'],
        }
      : {
          createStore: () => ({ reset() {}, importIcs: missing }),
          loadSeed: async () => {},
          register() {},
        },
  };
}

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
    },
    await loadApiModules(),
  );
  await sandbox.app.listen({ port: options.port ?? 4010, host });
  const address = sandbox.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${urlHost}:${port}`;
  return { url, close: () => sandbox.app.close(), reset: sandbox.reset };
}
