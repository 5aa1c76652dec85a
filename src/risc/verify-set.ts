/**
 * Verifying one security event token (RFC 8417) as a push receiver (RFC 8935): an RS256
 * JWT signed with a key of the issuer's published set, `iss` the discovered issuer, `aud`
 * our OAuth client id, `typ` `secevent+jwt` when given, an `iat` neither in the future
 * (five minutes of clock skew allowed) nor older than the receiver remembers `jti`s, a
 * `jti`, and an `events` object. The outcome is a value: the claims, a rejection with the
 * RFC 8935 error code, or "cannot verify now" (the issuer's keys are out of reach), which
 * the sender should take as a reason to try again later.
 */
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { isTidingsError } from '../errors.ts';
import type { IssuerKeys } from './issuer-keys.ts';

/** RFC 8935 section 2.4 error codes. */
export type SetErrorCode =
  | 'invalid_request'
  | 'invalid_key'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'authentication_failed';

export interface SetClaims {
  jti: string;
  /** `iat`, in milliseconds. */
  issuedAt: Date;
  issuer: string;
  events: Record<string, unknown>;
}

export type SetCheck =
  | { kind: 'verified'; claims: SetClaims }
  | { kind: 'rejected'; err: SetErrorCode; description: string }
  | { kind: 'unavailable'; reason: string };

export interface VerifyDeps {
  keys: () => Promise<IssuerKeys>;
  clientId: string;
  now: () => Date;
  /** How old a token may be (the receiver remembers `jti`s that long), in milliseconds. */
  maxAgeMs: number;
}

const CLOCK_SKEW_SECONDS = 300;
const TYPES = new Set(['secevent+jwt', 'application/secevent+jwt']);
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const claimsSchema = z.object({
  jti: z.string().min(1).max(256),
  iat: z.number(),
  events: z.record(z.string(), z.unknown()).refine((events) => Object.keys(events).length > 0),
});

function rejected(err: SetErrorCode, description: string): SetCheck {
  return { kind: 'rejected', err, description };
}

/** jose's failures, as RFC 8935 codes (or "cannot verify now"). */
function translate(error: unknown): SetCheck {
  if (isTidingsError(error, 'provider_unavailable')) {
    return { kind: 'unavailable', reason: error.message };
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return rejected('invalid_issuer', 'The token is from another issuer.');
    if (error.claim === 'aud')
      return rejected('invalid_audience', 'The token is meant for another client.');
    if (error.claim === 'iat' && error.reason === 'check_failed')
      return rejected('invalid_request', 'The token is issued in the future.');
    return rejected(
      'invalid_request',
      `The token's "${error.claim}" claim is missing or not valid.`,
    );
  }
  if (error instanceof errors.JWTExpired) {
    return rejected('invalid_request', 'The token is too old to be accepted.');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return rejected(
      'authentication_failed',
      "The signature does not verify with the issuer's key.",
    );
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKInvalid
  ) {
    return rejected('invalid_key', "The token is not signed with one of the issuer's keys.");
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return rejected('invalid_request', 'The body is not a well-formed signed token.');
  }
  // The key set could not be fetched or read (timeout, not 200, not JSON): not the token's fault.
  const name = error instanceof Error ? error.name : 'error';
  return { kind: 'unavailable', reason: `the issuer's keys could not be fetched (${name})` };
}

export async function verifySet(deps: VerifyDeps, token: string): Promise<SetCheck> {
  if (!COMPACT_JWS.test(token)) {
    return rejected('invalid_request', 'The body is not a compact signed token.');
  }
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    return rejected('invalid_request', 'The token header is not valid.');
  }
  if (typ !== undefined && !(typeof typ === 'string' && TYPES.has(typ.toLowerCase()))) {
    return rejected('invalid_request', 'The token is not a security event token (typ).');
  }
  let payload: Record<string, unknown>;
  let issuer: string;
  try {
    const keys = await deps.keys();
    issuer = keys.issuer;
    ({ payload } = await jwtVerify(token, keys.keys, {
      algorithms: ['RS256'],
      issuer: keys.issuer,
      audience: deps.clientId,
      requiredClaims: ['jti', 'iat'],
      currentDate: deps.now(),
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: Math.floor(deps.maxAgeMs / 1000),
    }));
  } catch (error) {
    return translate(error);
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    return rejected('invalid_request', 'The token needs a jti, an iat and at least one event.');
  }
  const { jti, iat, events } = claims.data;
  return { kind: 'verified', claims: { jti, issuedAt: new Date(iat * 1000), issuer, events } };
}
