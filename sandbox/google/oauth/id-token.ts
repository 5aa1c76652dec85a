/**
 * ID tokens as Google issues them (RS256, Google's claim order and names; `hd` for a
 * Workspace user), and the profile claims shared with the userinfo endpoint.
 */
import type { SandboxUser } from '../context.ts';
import { accessTokenHash } from './signing-key.ts';
import type { SigningKey } from './signing-key.ts';
import { USERINFO_EMAIL, USERINFO_PROFILE } from './scopes.ts';

/** ID tokens are valid for an hour, like Google's. */
const ID_TOKEN_LIFETIME_SECONDS = 3600;

export function pictureUrl(baseUrl: string, user: SandboxUser): string {
  return `${baseUrl}/__sandbox/avatars/${user.sub}.svg`;
}

/** The profile claims the granted scopes allow (`email` and/or `profile`). */
export function profileClaims(
  baseUrl: string,
  user: SandboxUser,
  scopes: readonly string[],
): { email: Record<string, unknown>; profile: Record<string, unknown> } {
  const [given, ...rest] = user.name.split(' ');
  const email = scopes.includes(USERINFO_EMAIL)
    ? { email: user.email, email_verified: user.emailVerified ?? true }
    : {};
  const profile = scopes.includes(USERINFO_PROFILE)
    ? {
        name: user.name,
        picture: pictureUrl(baseUrl, user),
        given_name: given ?? user.name,
        ...(rest.length > 0 ? { family_name: rest.join(' ') } : {}),
      }
    : {};
  return { email, profile };
}

export interface IdTokenInput {
  clientId: string;
  user: SandboxUser;
  scopes: readonly string[];
  accessToken: string;
  nonce: string | null;
}

export function buildIdToken(
  deps: { key: SigningKey; baseUrl: string; nowMs: number },
  input: IdTokenInput,
): string {
  const iat = Math.floor(deps.nowMs / 1000);
  const { email, profile } = profileClaims(deps.baseUrl, input.user, input.scopes);
  return deps.key.signJwt({
    iss: deps.baseUrl,
    azp: input.clientId,
    aud: input.clientId,
    sub: input.user.sub,
    ...(input.user.hd === undefined ? {} : { hd: input.user.hd }),
    ...email,
    at_hash: accessTokenHash(input.accessToken),
    ...(input.nonce === null ? {} : { nonce: input.nonce }),
    ...profile,
    iat,
    exp: iat + ID_TOKEN_LIFETIME_SECONDS,
  });
}
