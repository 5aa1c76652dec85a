/**
 * Cross-Account Protection (RISC) security event tokens as Google sends them: one event
 * per signed JWT (`typ` `secevent+jwt`, RS256 with the key of the sandbox's JWKS), with
 * `iss`, `aud` (the OAuth client id), `iat`, `jti` and `events`. The RISC issuer ends in a
 * slash (`https://accounts.google.com/` on Google), unlike the OpenID Connect issuer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SigningKey } from '../oauth/index.ts';

/** The event types Google sends, by short name (the OAuth ones live under `oauth/`). */
export const RISC_EVENT_TYPES = {
  'sessions-revoked': 'https://schemas.openid.net/secevent/risc/event-type/sessions-revoked',
  'tokens-revoked': 'https://schemas.openid.net/secevent/oauth/event-type/tokens-revoked',
  'token-revoked': 'https://schemas.openid.net/secevent/oauth/event-type/token-revoked',
  'account-disabled': 'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
  'account-enabled': 'https://schemas.openid.net/secevent/risc/event-type/account-enabled',
  'account-credential-change-required':
    'https://schemas.openid.net/secevent/risc/event-type/account-credential-change-required',
  verification: 'https://schemas.openid.net/secevent/risc/event-type/verification',
} as const;
export type RiscEventName = keyof typeof RISC_EVENT_TYPES;
export const RISC_EVENT_NAMES = Object.keys(RISC_EVENT_TYPES) as [
  RiscEventName,
  ...RiscEventName[],
];
export const RISC_EVENT_URIS: readonly string[] = Object.values(RISC_EVENT_TYPES);

export const PUSH_DELIVERY_METHOD = 'https://schemas.openid.net/secevent/risc/delivery-method/push';

/** Reasons Google gives for `account-disabled`. */
export const ACCOUNT_DISABLED_REASONS = ['hijacking', 'bulk-account'] as const;

/** The sandbox's RISC issuer: its base URL with a trailing slash, as Google's has one. */
export function riscIssuer(baseUrl: string): string {
  return `${baseUrl}/`;
}

/** Google's `hash_base64_sha512_sha512` identifier of a refresh token. */
export function refreshTokenIdentifier(refreshToken: string): string {
  const inner = createHash('sha512').update(refreshToken, 'utf8').digest();
  return createHash('sha512').update(inner).digest('base64');
}

export type EventSubject =
  | { subject_type: 'iss-sub'; iss: string; sub: string }
  | {
      subject_type: 'oauth_token';
      token_type: 'refresh_token';
      token_identifier_alg: 'hash_base64_sha512_sha512';
      token: string;
    };

export interface SecurityEvent {
  name: RiscEventName;
  /** Absent only for `verification`. */
  subject?: EventSubject;
  reason?: string;
  state?: string;
}

/** Signs one security event for one client; answers the token and its `jti`. */
export function signSecurityEvent(
  key: SigningKey,
  input: { baseUrl: string; clientId: string; nowMs: number; event: SecurityEvent },
): { jti: string; token: string } {
  const jti = randomBytes(16).toString('hex');
  const { name, subject, reason, state } = input.event;
  const details = {
    ...(subject === undefined ? {} : { subject }),
    ...(reason === undefined ? {} : { reason }),
    ...(state === undefined ? {} : { state }),
  };
  const claims = {
    iss: riscIssuer(input.baseUrl),
    aud: input.clientId,
    iat: Math.floor(input.nowMs / 1000),
    jti,
    events: { [RISC_EVENT_TYPES[name]]: details },
  };
  return { jti, token: key.signJwt(claims, 'secevent+jwt') };
}
