/**
 * Connection rows as the rest of the code sees them: never a token, never ciphertext.
 */
import type { Connection, ConnectionStatus } from '../db/index.ts';
import { hasScopeFor } from '../google/index.ts';

export interface ConnectionView {
  id: string;
  userId: string;
  provider: 'google';
  email: string;
  displayName: string | null;
  grantedScopes: string[];
  /** What the granted scopes allow: `gmail`, `calendar`. */
  capabilities: Array<'gmail' | 'calendar'>;
  status: ConnectionStatus;
  /** For `needs_reauth`: revoked | expired | scope_missing | corrupt; for `degraded`: why. */
  statusReason: string | null;
  isDefault: boolean;
  accessExpiresAt: Date | null;
  lastRefreshedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export function scopesOf(row: Pick<Connection, 'granted_scopes'>): string[] {
  const value = row.granted_scopes as unknown;
  return Array.isArray(value) ? (value as string[]) : JSON.parse(String(value ?? '[]'));
}

export function capabilitiesOf(scopes: readonly string[]): Array<'gmail' | 'calendar'> {
  const out: Array<'gmail' | 'calendar'> = [];
  if (hasScopeFor('gmail', scopes)) out.push('gmail');
  if (hasScopeFor('calendar', scopes)) out.push('calendar');
  return out;
}

export function toConnectionView(row: Connection): ConnectionView {
  const grantedScopes = scopesOf(row);
  return {
    id: row.id,
    userId: row.user_id,
    provider: 'google',
    email: row.email,
    displayName: row.display_name,
    grantedScopes,
    capabilities: capabilitiesOf(grantedScopes),
    status: row.status,
    statusReason: row.status_reason,
    isDefault: row.is_default,
    accessExpiresAt: row.access_expires_at,
    lastRefreshedAt: row.last_refreshed_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  };
}
