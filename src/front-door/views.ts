/**
 * The JSON forms of what is not a capability result: connections (what a user has
 * connected, never a token) and connect links. `/v1`, its OpenAPI document and the agent
 * tools all answer with these same zod schemas.
 */
import { z } from 'zod';
import type { ConnectionView } from '../connections/index.ts';
import type { ConnectLink } from './contract.ts';

export const ConnectionSchema = z.object({
  id: z.string(),
  provider: z.literal('google'),
  email: z.string(),
  display_name: z.string().nullable(),
  status: z.enum(['active', 'degraded', 'needs_reauth', 'revoked']),
  status_reason: z
    .string()
    .nullable()
    .describe('needs_reauth: revoked | expired | scope_missing | corrupt; degraded: why'),
  capabilities: z.array(z.enum(['gmail', 'calendar'])),
  granted_scopes: z.array(z.string()),
  is_default: z.boolean(),
  created_at: z.string().describe('ISO 8601'),
  last_used_at: z.string().nullable(),
});

export const ConnectionListSchema = z.object({ connections: z.array(ConnectionSchema) });

export const ConnectLinkRequestSchema = z.strictObject({
  connection: z
    .string()
    .min(1)
    .max(320)
    .optional()
    .describe('Reconnect this connection (id or email) instead of adding an account'),
});

export const ConnectLinkSchema = z.object({
  url: z.string().describe('Open in a browser to give consent at Google; works once'),
  expires_at: z.string().describe('ISO 8601'),
});

export function connectionJson(view: ConnectionView): z.infer<typeof ConnectionSchema> {
  return {
    id: view.id,
    provider: view.provider,
    email: view.email,
    display_name: view.displayName,
    status: view.status,
    status_reason: view.statusReason,
    capabilities: [...view.capabilities],
    granted_scopes: [...view.grantedScopes],
    is_default: view.isDefault,
    created_at: view.createdAt.toISOString(),
    last_used_at: view.lastUsedAt?.toISOString() ?? null,
  };
}

export function connectLinkJson(link: ConnectLink): z.infer<typeof ConnectLinkSchema> {
  return { url: link.url, expires_at: link.expiresAt.toISOString() };
}
