/**
 * Scope names as Google reports them. Google answers `email`/`profile` in their long
 * forms; we store the granted set as Google gave it, sorted and without duplicates.
 */
const ALIASES: Record<string, string> = {
  'https://www.googleapis.com/auth/userinfo.email': 'email',
  'https://www.googleapis.com/auth/userinfo.profile': 'profile',
};

export function normalizeScopes(scope: string): string[] {
  const out = new Set<string>();
  for (const part of scope.split(/\s+/)) {
    if (part) out.add(ALIASES[part] ?? part);
  }
  return [...out].sort();
}
