/**
 * Checks 4–6 and the API root: Google's discovery document answers at `GOOGLE_ISSUER`
 * and names its token endpoint; that endpoint accepts the client id and secret; the
 * redirect URI Tidings sends is one Google takes; `GOOGLE_API_ROOT` answers like Google's
 * APIs. The credentials probe is harmless: an authorization-code grant with a code that
 * cannot exist, which Google refuses with `invalid_grant` (400) once the client is
 * authenticated and with `invalid_client` (401) when it is not.
 */
import { randomBytes } from 'node:crypto';
import { type Config, publicUrlOf } from '../config.ts';
import { CALLBACK_PATH } from '../oauth/index.ts';
import { type DoctorDeps, hostOf, objectOf, reach } from './http-probe.ts';
import { type CheckResult, fail, pass, skip } from './report.ts';

export interface DiscoveryFinding {
  result: CheckResult;
  tokenEndpoint: string | null;
  /** Google's `Date` header and the local clock when the answer came. */
  clocks: { google: Date; local: Date } | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function redirectUriOf(config: Config): string {
  return `${publicUrlOf(config, config.port)}${CALLBACK_PATH}`;
}

export async function checkDiscovery(config: Config, deps: DoctorDeps): Promise<DiscoveryFinding> {
  const id = 'google-discovery';
  const url = `${config.google.issuer}/.well-known/openid-configuration`;
  const answer = await reach(deps, { url, setting: 'GOOGLE_ISSUER' });
  const local = deps.now();
  const none = { tokenEndpoint: null, clocks: null };
  if (!answer.ok) return { result: fail(id, answer.summary, answer.fix), ...none };
  const dateHeader = answer.headers.get('date');
  const google = dateHeader ? new Date(dateHeader) : null;
  const clocks = google && !Number.isNaN(google.getTime()) ? { google, local } : null;
  const fixIssuer =
    'Set GOOGLE_ISSUER to https://accounts.google.com (the default), or to the sandbox’s URL offline.';
  const document = objectOf(answer.json);
  if (answer.status !== 200 || !document) {
    return {
      result: fail(
        id,
        `${hostOf(url)} (GOOGLE_ISSUER) answered ${answer.status === 200 ? 'something that is not a discovery document' : `HTTP ${answer.status}`} for /.well-known/openid-configuration`,
        fixIssuer,
      ),
      tokenEndpoint: null,
      clocks,
    };
  }
  if (document.issuer !== config.google.issuer) {
    return {
      result: fail(
        id,
        `the discovery document names the issuer ${JSON.stringify(document.issuer)}, not GOOGLE_ISSUER (${config.google.issuer}): every sign-in would be refused`,
        'Set GOOGLE_ISSUER to the issuer the document names, exactly.',
      ),
      tokenEndpoint: null,
      clocks,
    };
  }
  const tokenEndpoint = document.token_endpoint;
  if (typeof tokenEndpoint !== 'string' || !URL.canParse(tokenEndpoint)) {
    return {
      result: fail(id, 'the discovery document names no token endpoint', fixIssuer),
      tokenEndpoint: null,
      clocks,
    };
  }
  return {
    result: pass(id, `discovery at ${hostOf(url)} answers; token endpoint ${tokenEndpoint}`, {
      issuer: config.google.issuer,
      tokenEndpoint,
    }),
    tokenEndpoint,
    clocks,
  };
}

export async function checkClientCredentials(
  config: Config,
  tokenEndpoint: string | null,
  deps: DoctorDeps,
): Promise<CheckResult> {
  const id = 'google-client';
  const clientId = config.google.clientId ?? '';
  if (!tokenEndpoint) return skip(id, 'not checked: the discovery document was not usable');
  const answer = await reach(
    deps,
    { url: tokenEndpoint, setting: 'GOOGLE_ISSUER (its token endpoint)' },
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: `4/0doctor-${randomBytes(16).toString('hex')}`,
        redirect_uri: redirectUriOf(config),
        client_id: clientId,
        client_secret: config.google.clientSecret ?? '',
      }),
    },
  );
  if (!answer.ok) return fail(id, answer.summary, answer.fix);
  const body = objectOf(answer.json) ?? {};
  const error = typeof body.error === 'string' ? body.error : null;
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  if (answer.status === 400 && error === 'invalid_grant') {
    return pass(id, `Google accepts the client id and secret of ${clientId}`);
  }
  if (error === 'invalid_client' && /not found/i.test(description)) {
    return fail(
      id,
      `Google does not know the OAuth client ${clientId} (GOOGLE_CLIENT_ID)`,
      'Copy the client id of a Web application OAuth client from the Google Cloud console (APIs & Services → Credentials) into GOOGLE_CLIENT_ID.',
      { error },
    );
  }
  if (error === 'invalid_client') {
    return fail(
      id,
      `Google refused the client secret of ${clientId} (GOOGLE_CLIENT_SECRET): ${description || 'Unauthorized'}`,
      'Copy the current secret of that OAuth client from the Google Cloud console into GOOGLE_CLIENT_SECRET (a reset secret replaces the old one).',
      { error },
    );
  }
  if (error === 'unauthorized_client') {
    return fail(
      id,
      `Google does not let ${clientId} use the authorization-code grant`,
      'Use an OAuth client of type Web application for GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
      { error },
    );
  }
  return fail(
    id,
    `the token endpoint answered HTTP ${answer.status}${error ? ` ${error}` : ''} to a test grant, not the invalid_grant a working client gets`,
    answer.status >= 500
      ? 'Google’s token endpoint is having trouble: try again in a few minutes.'
      : 'Check GOOGLE_ISSUER, GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.',
    { status: answer.status, ...(error ? { error } : {}) },
  );
}

/** Only what Tidings will send: Google has no API to read a client's registered URIs. */
export function checkRedirectUri(config: Config): CheckResult {
  const id = 'google-redirect-uri';
  const uri = redirectUriOf(config);
  const { protocol, hostname } = new URL(uri);
  const register = `register exactly ${uri} under the OAuth client's Authorized redirect URIs`;
  const derived = config.publicUrl ? '' : ' (PUBLIC_URL is unset: derived from HOST and PORT)';
  if (protocol !== 'https:' && config.env === 'production') {
    return fail(
      id,
      `the redirect URI ${uri} is not https, and NODE_ENV=production${derived}`,
      'Set PUBLIC_URL to the https address people reach Tidings at (behind a TLS-terminating proxy), then register that address followed by /oauth/google/callback with the OAuth client.',
      { redirectUri: uri },
    );
  }
  if (protocol !== 'https:' && !LOOPBACK.has(hostname)) {
    return fail(
      id,
      `the redirect URI ${uri} is plain http to ${hostname}: Google takes http only for localhost addresses${derived}`,
      'Set PUBLIC_URL to an https address (or, for a local try, http://127.0.0.1:PORT).',
      { redirectUri: uri },
    );
  }
  return pass(id, `Tidings sends the redirect URI ${uri}${derived}: ${register}`, {
    redirectUri: uri,
  });
}

/** Gmail's profile without a token: Google's APIs answer 401 UNAUTHENTICATED. */
export async function checkApiRoot(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const id = 'google-api';
  const root = config.google.apiRoot;
  const answer = await reach(deps, {
    url: `${root}/gmail/v1/users/me/profile`,
    setting: 'GOOGLE_API_ROOT',
  });
  if (!answer.ok) return fail(id, answer.summary, answer.fix);
  const error = objectOf(objectOf(answer.json)?.error);
  if (answer.status === 401 && error) {
    return pass(id, `GOOGLE_API_ROOT (${hostOf(root)}) answers like Google's APIs`);
  }
  return fail(
    id,
    `GOOGLE_API_ROOT (${hostOf(root)}) answered HTTP ${answer.status}${error ? '' : ' without a Google error'} where Gmail's API asks for a token`,
    answer.status >= 500
      ? 'Google’s APIs are having trouble: try again in a few minutes.'
      : 'Set GOOGLE_API_ROOT to https://www.googleapis.com (the default), or to the sandbox’s URL offline.',
    { status: answer.status },
  );
}
