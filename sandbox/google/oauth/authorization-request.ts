/**
 * Reads and checks the query of Google's authorization endpoint. Problems with the client
 * or the redirect URI are shown on the sandbox's own page (never sent to an unverified
 * redirect URI); every later problem goes back to the app as `?error=…&state=…`.
 */
import type { AuthCode } from './grants.ts';
import { isRedirectAllowed } from './clients.ts';
import type { OAuthClient } from './clients.ts';
import { parseScopes } from './scopes.ts';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** Requested scopes, normalised (`email` → `…/userinfo.email`). */
  scopes: string[];
  state: string | null;
  accessType: 'online' | 'offline';
  prompt: string[];
  includeGrantedScopes: boolean;
  codeChallenge: AuthCode['codeChallenge'];
  nonce: string | null;
  loginHint: string | null;
}

export type AuthorizationCheck =
  | { kind: 'ok'; request: AuthorizationRequest }
  | { kind: 'page'; status: number; error: string; description: string }
  | { kind: 'redirect'; redirectUri: string; params: Record<string, string> };

function single(query: Record<string, unknown>, name: string): string | null {
  const value = query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

/** Builds the redirect back to the app with the given query parameters. */
export function redirectLocation(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export function checkAuthorizationRequest(
  query: Record<string, unknown>,
  clients: Map<string, OAuthClient>,
): AuthorizationCheck {
  const clientId = single(query, 'client_id');
  if (!clientId) {
    return page(400, 'invalid_request', 'Missing required parameter: client_id');
  }
  const client = clients.get(clientId);
  if (!client) return page(401, 'invalid_client', 'The OAuth client was not found.');
  const redirectUri = single(query, 'redirect_uri');
  if (!redirectUri) {
    return page(400, 'invalid_request', 'Missing required parameter: redirect_uri');
  }
  if (!isRedirectAllowed(client, redirectUri)) {
    return page(
      400,
      'redirect_uri_mismatch',
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. ` +
        `The redirect URI in the request, ${redirectUri}, does not match the ones authorized for the OAuth client.`,
    );
  }
  const state = single(query, 'state');
  const back = (error: string, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    redirectUri,
    params: {
      error,
      error_description: description,
      ...(state === null ? {} : { state }),
    },
  });

  const responseType = single(query, 'response_type');
  if (!responseType) return back('invalid_request', 'Required parameter is missing: response_type');
  if (responseType !== 'code') {
    return back('unsupported_response_type', `Invalid response_type: ${responseType}`);
  }
  const scopeValue = single(query, 'scope');
  if (!scopeValue || scopeValue.trim() === '') {
    return back('invalid_request', 'Missing required parameter: scope');
  }
  const { known, unknown } = parseScopes(scopeValue);
  if (unknown.length > 0) {
    return back(
      'invalid_scope',
      `Some requested scopes were invalid. {invalid=[${unknown.join(', ')}]}`,
    );
  }
  const accessType = single(query, 'access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') {
    return back('invalid_request', `Invalid access_type: ${accessType}`);
  }
  const prompt = (single(query, 'prompt') ?? '').split(/\s+/).filter((p) => p !== '');
  if (prompt.some((p) => !['none', 'consent', 'select_account'].includes(p))) {
    return back('invalid_request', 'Invalid prompt value.');
  }
  if (prompt.includes('none') && prompt.length > 1) {
    return back('invalid_request', 'prompt=none cannot be combined with other values.');
  }
  const challenge = single(query, 'code_challenge');
  const method = single(query, 'code_challenge_method') ?? 'plain';
  if (method !== 'S256' && method !== 'plain') {
    return back('invalid_request', `Invalid code_challenge_method: ${method}`);
  }
  if (challenge !== null && !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
    return back('invalid_request', 'Invalid code_challenge.');
  }
  return {
    kind: 'ok',
    request: {
      clientId,
      redirectUri,
      scopes: known,
      state,
      accessType,
      prompt,
      includeGrantedScopes: single(query, 'include_granted_scopes') === 'true',
      codeChallenge: challenge === null ? null : { method, value: challenge },
      nonce: single(query, 'nonce'),
      loginHint: single(query, 'login_hint')?.toLowerCase() ?? null,
    },
  };
}

function page(status: number, error: string, description: string): AuthorizationCheck {
  return { kind: 'page', status, error, description };
}
