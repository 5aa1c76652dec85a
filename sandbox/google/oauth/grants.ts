/**
 * Grants, authorization codes and tokens, in memory. A grant is what one user gave one
 * client; revoking any of its tokens revokes the grant and every token issued under it.
 * Revoked tokens are kept (marked) so a second revocation can answer 200 like Google.
 * Refresh tokens also stop working on their own, as Google's do: past the per-client
 * limit (the oldest first), seven days after issue for an app in Testing, and after six
 * months unused.
 */
import { randomBytes } from 'node:crypto';

export interface Grant {
  id: string;
  clientId: string;
  email: string;
  /** Every scope ever granted under this grant (what `include_granted_scopes` adds). */
  scopes: Set<string>;
  /** Live refresh tokens, oldest first (at most the per-client limit). */
  refreshTokens: string[];
}

export interface AuthCode {
  grantId: string;
  clientId: string;
  email: string;
  redirectUri: string;
  scopes: string[];
  accessType: 'online' | 'offline';
  issueRefresh: boolean;
  codeChallenge: { method: 'S256' | 'plain'; value: string } | null;
  nonce: string | null;
  expiresAt: number;
  used: boolean;
}

export interface IssuedToken {
  kind: 'access' | 'refresh';
  grantId: string;
  clientId: string;
  email: string;
  scopes: string[];
  accessType: 'online' | 'offline';
  /**
   * Epoch ms; refresh tokens have no end (`Infinity`) unless issued to an app in Testing.
   */
  expiresAt: number;
  /** Epoch ms of issue. */
  issuedAt: number;
  /** Epoch ms of the last refresh made with it (refresh tokens), else of issue. */
  lastUsedAt: number;
  revoked: boolean;
  /** Set when the grant ended by a Workspace session-control expiry (`invalid_rapt`). */
  errorSubtype: 'invalid_rapt' | null;
}

export interface GrantStore {
  /** Live grants by `grantKey(email, clientId)`. */
  grants: Map<string, Grant>;
  codes: Map<string, AuthCode>;
  tokens: Map<string, IssuedToken>;
}

/** Google keeps at most this many live refresh tokens per account per client. */
export const DEFAULT_REFRESH_TOKENS_PER_CLIENT = 100;
export const CODE_LIFETIME_MS = 5 * 60 * 1000;
/** How long a refresh token issued to an app in Testing works. */
export const TESTING_REFRESH_TOKEN_MS = 7 * 24 * 60 * 60 * 1000;
/** Months without use after which a refresh token stops working. */
export const UNUSED_REFRESH_TOKEN_MONTHS = 6;

export function createGrantStore(): GrantStore {
  return { grants: new Map(), codes: new Map(), tokens: new Map() };
}

export function clearGrantStore(store: GrantStore): void {
  store.grants.clear();
  store.codes.clear();
  store.tokens.clear();
}

export function grantKey(email: string, clientId: string): string {
  return `${email}\n${clientId}`;
}

function random(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export interface ConsentInput {
  clientId: string;
  email: string;
  redirectUri: string;
  /** What the user granted this time (sign-in scopes included). */
  granted: string[];
  accessType: 'online' | 'offline';
  promptConsent: boolean;
  includeGrantedScopes: boolean;
  codeChallenge: AuthCode['codeChallenge'];
  nonce: string | null;
}

/**
 * Records a consent and returns a fresh authorization code with the scopes it carries.
 * A refresh token will come with it only for offline access on a first consent or a
 * forced one (`prompt=consent`), as Google does.
 */
export function recordConsent(
  store: GrantStore,
  nowMs: number,
  input: ConsentInput,
): { code: string; scopes: string[] } {
  const key = grantKey(input.email, input.clientId);
  const existing = store.grants.get(key);
  const grant: Grant = existing ?? {
    id: random(12),
    clientId: input.clientId,
    email: input.email,
    scopes: new Set(),
    refreshTokens: [],
  };
  const earlier = [...grant.scopes];
  for (const scope of input.granted) grant.scopes.add(scope);
  store.grants.set(key, grant);
  const scopes = [
    ...new Set(input.includeGrantedScopes ? [...input.granted, ...earlier] : input.granted),
  ];
  const code = `4/0${random(48)}`;
  store.codes.set(code, {
    grantId: grant.id,
    clientId: input.clientId,
    email: input.email,
    redirectUri: input.redirectUri,
    scopes,
    accessType: input.accessType,
    issueRefresh: input.accessType === 'offline' && (existing === undefined || input.promptConsent),
    codeChallenge: input.codeChallenge,
    nonce: input.nonce,
    expiresAt: nowMs + CODE_LIFETIME_MS,
    used: false,
  });
  return { code, scopes };
}

/**
 * The live grant a code or token was issued under, or undefined once it was revoked. One
 * look-up by (email, client), whose grant must still be the same one: a grant revoked and
 * given again is a new grant, and the old one's tokens stay dead.
 */
export function liveGrant(
  store: GrantStore,
  issued: { grantId: string; email: string; clientId: string },
): Grant | undefined {
  const grant = store.grants.get(grantKey(issued.email, issued.clientId));
  return grant?.id === issued.grantId ? grant : undefined;
}

export function issueAccessToken(
  store: GrantStore,
  source: Pick<IssuedToken, 'grantId' | 'clientId' | 'email' | 'scopes' | 'accessType'>,
  nowMs: number,
  expiresAt: number,
): string {
  const token = `ya29.${random(96)}`;
  store.tokens.set(token, {
    ...source,
    kind: 'access',
    expiresAt,
    issuedAt: nowMs,
    lastUsedAt: nowMs,
    revoked: false,
    errorSubtype: null,
  });
  return token;
}

/** The rules refresh tokens are issued and used under (the OAuth settings). */
export interface RefreshTokenRules {
  publishingStatus: 'in_production' | 'testing';
  expireUnusedRefreshTokens: boolean;
  refreshTokensPerClient: number;
}

/**
 * Issues a refresh token (for seven days when the app is in Testing); past the per-client
 * limit the oldest ones silently stop working.
 */
export function issueRefreshToken(
  store: GrantStore,
  grant: Grant,
  source: Pick<IssuedToken, 'scopes' | 'accessType'>,
  nowMs: number,
  rules: RefreshTokenRules,
): string {
  const token = `1//0${random(72)}`;
  store.tokens.set(token, {
    ...source,
    kind: 'refresh',
    grantId: grant.id,
    clientId: grant.clientId,
    email: grant.email,
    expiresAt:
      rules.publishingStatus === 'testing'
        ? nowMs + TESTING_REFRESH_TOKEN_MS
        : Number.POSITIVE_INFINITY,
    issuedAt: nowMs,
    lastUsedAt: nowMs,
    revoked: false,
    errorSubtype: null,
  });
  grant.refreshTokens.push(token);
  while (grant.refreshTokens.length > rules.refreshTokensPerClient) {
    const oldest = grant.refreshTokens.shift();
    const record = oldest === undefined ? undefined : store.tokens.get(oldest);
    if (record) record.revoked = true;
  }
  return token;
}

/** A token usable right now (not revoked, not expired, its grant still live), or null. */
export function usableToken(
  store: GrantStore,
  token: string,
  kind: IssuedToken['kind'],
  nowMs: number,
): IssuedToken | null {
  const record = store.tokens.get(token);
  if (!record || record.kind !== kind || record.revoked || record.expiresAt <= nowMs) return null;
  return liveGrant(store, record) ? record : null;
}

/** When a refresh token last used at `lastUsedAt` stops working for want of use. */
export function unusedUntil(lastUsedAt: number): number {
  const end = new Date(lastUsedAt);
  end.setUTCMonth(end.getUTCMonth() + UNUSED_REFRESH_TOKEN_MONTHS);
  return end.getTime();
}

/**
 * A refresh token that works right now (`usableToken`, and not unused for six months when
 * that rule is on), or null. Using it is up to the caller (`lastUsedAt`).
 */
export function usableRefreshToken(
  store: GrantStore,
  token: string,
  nowMs: number,
  rules: Pick<RefreshTokenRules, 'expireUnusedRefreshTokens'>,
): IssuedToken | null {
  const record = usableToken(store, token, 'refresh', nowMs);
  if (!record) return null;
  if (rules.expireUnusedRefreshTokens && unusedUntil(record.lastUsedAt) <= nowMs) return null;
  return record;
}

/**
 * Revokes a grant: every token issued under it stops working, and the grant is forgotten.
 * `errorSubtype` marks an end by session control (refreshes then answer `invalid_rapt`).
 */
export function revokeGrant(
  store: GrantStore,
  grantId: string,
  errorSubtype: IssuedToken['errorSubtype'] = null,
): void {
  for (const [key, grant] of store.grants) if (grant.id === grantId) store.grants.delete(key);
  for (const record of store.tokens.values()) {
    if (record.grantId !== grantId || record.revoked) continue;
    record.revoked = true;
    record.errorSubtype = errorSubtype;
  }
  for (const code of store.codes.values()) if (code.grantId === grantId) code.used = true;
}

/** Revokes every grant of one user; returns how many there were. */
export function revokeUserGrants(
  store: GrantStore,
  email: string,
  errorSubtype: IssuedToken['errorSubtype'] = null,
): number {
  const ids = [...store.grants.values()].filter((g) => g.email === email).map((g) => g.id);
  for (const id of ids) revokeGrant(store, id, errorSubtype);
  return ids.length;
}
