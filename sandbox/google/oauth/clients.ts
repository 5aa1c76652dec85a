/**
 * OAuth clients as the sandbox registers them (seed or control API), and the redirect URI
 * check of the authorization endpoint: an exact registered URI, or, for a client that
 * allows it, any loopback `http://…/oauth/google/callback`.
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Accepts any loopback `http://127.0.0.1|localhost:<port>/…/oauth/google/callback`. */
  allowLoopbackCallback: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether `redirectUri` is registered for the client (exactly, or as an allowed loopback). */
export function isRedirectAllowed(client: OAuthClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri)) return true;
  if (!client.allowLoopbackCallback) return false;
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    url.pathname.endsWith('/oauth/google/callback') &&
    url.hash === '' &&
    url.username === '' &&
    url.password === ''
  );
}
