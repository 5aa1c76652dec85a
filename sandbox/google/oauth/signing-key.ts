/**
 * The sandbox's RS256 signing key: generated at start, published as a JWKS with a `kid`,
 * used to sign ID tokens and security event tokens (as Google signs both with the keys
 * of the same JWKS). Also computes `at_hash` as OpenID Connect defines it.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  /** The public key as a JWKS document (`{keys: [...]}`). */
  jwks(): { keys: Record<string, unknown>[] };
  /** Signs claims as a compact RS256 JWT (`typ` JWT unless given, e.g. `secevent+jwt`). */
  signJwt(claims: Record<string, unknown>, typ?: string): string;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function createSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(20).toString('hex');
  const publicJwk = (publicKey as KeyObject).export({ format: 'jwk' });
  return {
    kid,
    jwks: () => ({ keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] }),
    signJwt(claims, typ = 'JWT') {
      const header = base64url(JSON.stringify({ alg: 'RS256', kid, typ }));
      const payload = base64url(JSON.stringify(claims));
      const input = `${header}.${payload}`;
      const signature = sign('sha256', Buffer.from(input), privateKey);
      return `${input}.${base64url(signature)}`;
    },
  };
}

/** `at_hash`: base64url of the left half of SHA-256 of the access token. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return base64url(digest.subarray(0, digest.length / 2));
}
