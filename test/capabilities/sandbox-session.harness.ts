/**
 * Test support for the integration tests: starts the real Google sandbox in-process, gets
 * a real access token through its OAuth endpoints (auto-approved consent), and builds a
 * `CapabilityContext` on top. Never used by product code.
 */
import { startGoogleSandbox } from '../../sandbox/google/index.ts';
import type { GoogleSandbox } from '../../sandbox/google/index.ts';
import { createGoogleApi } from '../../src/google/index.ts';
import type { GoogleApiDeps, TokenSource } from '../../src/google/index.ts';
import type { CapabilityContext } from '../../src/capabilities/define-capability.ts';

export const READ_SCOPES = [
  'openid',
  'email',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];

const CLIENT = { id: 'tidings-demo', secret: 'tidings-demo-secret' };
const REDIRECT = 'http://127.0.0.1:1/oauth/google/callback';

export interface Grant {
  accessToken: string;
  refreshToken: string;
  scopes: string[];
}

async function tokenRequest(
  url: string,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/token`, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok)
    throw new Error(`token endpoint answered ${response.status} ${String(body.error)}`);
  return body;
}

/** Runs the authorization code flow against the sandbox with consent given automatically. */
export async function grantFor(url: string, email: string, scopes = READ_SCOPES): Promise<Grant> {
  const approve = await fetch(`${url}/__sandbox/auto-approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (!approve.ok) throw new Error(`auto-approve answered ${approve.status}`);
  const authorize = new URL(`${url}/o/oauth2/v2/auth`);
  authorize.search = new URLSearchParams({
    client_id: CLIENT.id,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: scopes.join(' '),
    access_type: 'offline',
    prompt: 'consent',
    state: 'test-state',
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`authorization answered ${redirect.status} without a code`);
  const tokens = await tokenRequest(url, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: CLIENT.id,
    client_secret: CLIENT.secret,
  });
  return {
    accessToken: String(tokens.access_token),
    refreshToken: String(tokens.refresh_token),
    scopes: String(tokens.scope ?? '').split(' '),
  };
}

/** A token source over one grant: refreshes at the sandbox's token endpoint when asked. */
export function grantTokens(url: string, grant: Grant): TokenSource & { refreshes: number } {
  const source = {
    refreshes: 0,
    accessToken: async () => grant.accessToken,
    async refreshAfterRejection() {
      source.refreshes++;
      const tokens = await tokenRequest(url, {
        grant_type: 'refresh_token',
        refresh_token: grant.refreshToken,
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
      });
      grant.accessToken = String(tokens.access_token);
      return grant.accessToken;
    },
  };
  return source;
}

export interface Session {
  sandbox: GoogleSandbox;
  url: string;
  grant: Grant;
  tokens: TokenSource & { refreshes: number };
  context(overrides?: Partial<CapabilityContext>, api?: Partial<GoogleApiDeps>): CapabilityContext;
  /** JSON body; a string is sent as text/calendar, bytes as message/rfc822. */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  stats(): Promise<{ requests: Record<string, number> }>;
  close(): Promise<void>;
}

export async function startSession(options: {
  email: string;
  now: () => Date;
  /** false: start empty, with only the OAuth client and this user. */
  seed?: false;
  /** The user's zone in the sandbox (Calendar setting) when starting empty. */
  userZone?: string;
  /** `CapabilityContext.timeZone`. */
  timeZone?: string | null;
}): Promise<Session> {
  const sandbox = await startGoogleSandbox({
    port: 0,
    now: options.now,
    ...(options.seed === false ? { seed: false } : {}),
  });
  const url = sandbox.url;
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const init: RequestInit =
      body === undefined
        ? { method }
        : typeof body === 'string'
          ? { method, body, headers: { 'content-type': 'text/calendar' } }
          : body instanceof Uint8Array
            ? { method, body: Buffer.from(body), headers: { 'content-type': 'message/rfc822' } }
            : {
                method,
                body: JSON.stringify(body),
                headers: { 'content-type': 'application/json' },
              };
    const response = await fetch(`${url}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  if (options.seed === false) {
    await control('POST', '/__sandbox/clients', {
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      redirect_uris: [REDIRECT],
      allow_loopback_callback: true,
    });
    await control('POST', '/__sandbox/users', {
      email: options.email,
      time_zone: options.userZone ?? 'UTC',
    });
  }
  const grant = await grantFor(url, options.email);
  const tokens = grantTokens(url, grant);
  return {
    sandbox,
    url,
    grant,
    tokens,
    control,
    context: (overrides = {}, api = {}) => ({
      google: createGoogleApi({
        apiRoot: url,
        tokens,
        connectionId: 'conn-1',
        sleep: async () => {},
        ...api,
      }),
      timeZone: options.timeZone === undefined ? null : options.timeZone,
      locale: 'en-GB',
      now: options.now,
      grantedScopes: grant.scopes,
      ...overrides,
    }),
    stats: async () =>
      (await control('GET', '/__sandbox/stats')) as { requests: Record<string, number> },
    close: () => sandbox.close(),
  };
}
