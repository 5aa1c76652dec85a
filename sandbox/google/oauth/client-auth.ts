/**
 * Client authentication at the token endpoint: `client_secret_post` (form fields) or
 * `client_secret_basic` (HTTP Basic, form-url-encoded parts), secrets compared in
 * constant time. Answers the error Google gives when it fails.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { OAuthClient } from './clients.ts';

export type ClientAuthResult =
  | { ok: true; client: OAuthClient }
  | { ok: false; status: 400 | 401; error: string; description: string };

function decodePart(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

function basicCredentials(request: FastifyRequest): { id: string; secret: string } | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decodePart(decoded.slice(0, colon)), secret: decodePart(decoded.slice(colon + 1)) };
}

/** Constant-time comparison of two secrets of any length (both are hashed first). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function authenticateClient(
  request: FastifyRequest,
  form: Record<string, string>,
  clients: Map<string, OAuthClient>,
): ClientAuthResult {
  const basic = basicCredentials(request);
  const clientId = basic?.id ?? form.client_id;
  if (!clientId) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'Could not determine client ID from request.',
    };
  }
  if (basic && form.client_id !== undefined && form.client_id !== basic.id) {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'client_id in the body does not match the authorization header.',
    };
  }
  const client = clients.get(clientId);
  if (!client) {
    return {
      ok: false,
      status: 401,
      error: 'invalid_client',
      description: 'The OAuth client was not found.',
    };
  }
  const secret = basic?.secret ?? form.client_secret;
  if (secret === undefined || !sameSecret(secret, client.clientSecret)) {
    return { ok: false, status: 401, error: 'invalid_client', description: 'Unauthorized' };
  }
  return { ok: true, client };
}
