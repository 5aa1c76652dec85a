/**
 * What the Google clients need from the credential broker: a fresh access token for one
 * connection, and a forced refresh when Google rejected the token it was given. The broker
 * implements this; tests pass a fake.
 */

export interface TokenSource {
  /** A token valid for at least a minute, or throws TidingsError (not_connected, reauth_required…). */
  accessToken(connectionId: string): Promise<string>;
  /** Google answered 401 to `rejected`: refresh now (single-flight) and return the new token. */
  refreshAfterRejection(connectionId: string, rejected: string): Promise<string>;
}
