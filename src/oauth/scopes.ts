/**
 * Scope names as Google reports them. Google answers `email`/`profile` in their long
 * forms; we store the granted set in the short forms, sorted and without duplicates.
 */
const ALIASES: Record<string, string> = {
  'https://www.googleapis.com/auth/userinfo.email': 'email',
  'https://www.googleapis.com/auth/userinfo.profile': 'profile',
};

/** Granted with any sign-in; nothing else may be assumed. */
export const SIGN_IN_SCOPES: readonly string[] = ['email', 'openid', 'profile'];

export function normalizeScopes(scope: string): string[] {
  const out = new Set<string>();
  for (const part of scope.split(/\s+/)) {
    if (part) out.add(ALIASES[part] ?? part);
  }
  return [...out].sort();
}

/**
 * What a code exchange granted. Google always answers `scope`; an answer without it is
 * trusted only for the sign-in scopes that were asked for, never for Gmail or Calendar.
 */
export function grantedScopes(scope: string | null, requested: readonly string[]): string[] {
  if (scope !== null) return normalizeScopes(scope);
  return normalizeScopes(requested.join(' ')).filter((name) => SIGN_IN_SCOPES.includes(name));
}
