/**
 * The part of the sandbox state the OAuth wing reads and changes: clients, users, grants
 * and tokens, pending consent requests, auto-approve and auto-deny, the token settings and
 * the grant and revocation counters. The core's `SandboxState` is a wider object of this
 * shape; the OAuth routes hold it and read every field at request time, so a reset that
 * replaces `settings` or `stats` is seen at once.
 */
import type { SandboxUser } from '../context.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import type { OAuthClient } from './clients.ts';
import type { GrantStore } from './grants.ts';

/** A consent page shown and not yet answered. */
export type PendingRequest = AuthorizationRequest & { expiresAt: number };

export interface OAuthSettings {
  accessTokenTtlSeconds: number;
  /** Refresh responses carry a new refresh token (the old one keeps working). */
  rotateRefreshTokens: boolean;
  /**
   * The consent screen's publishing status: refresh tokens issued while it is `testing`
   * stop working seven days after they were issued.
   */
  publishingStatus: 'in_production' | 'testing';
  /** A refresh token not used for six months stops working (Google always does this). */
  expireUnusedRefreshTokens: boolean;
  /** Live refresh tokens per account per client; one more makes the oldest stop working. */
  refreshTokensPerClient: number;
}

export interface OAuthStats {
  grants: { authorization_code: number; refresh_token: number };
  revocations: number;
}

export interface OAuthState {
  clients: Map<string, OAuthClient>;
  users: Map<string, SandboxUser>;
  grants: GrantStore;
  /** Consent pages shown and not yet answered, by request id. */
  pending: Map<string, PendingRequest>;
  autoApprove: { email: string; scopes: string[] | null } | null;
  /** When set, every authorization request goes back with this `error` (e.g. admin_policy_enforced). */
  autoDeny: string | null;
  settings: OAuthSettings;
  stats: OAuthStats;
}
