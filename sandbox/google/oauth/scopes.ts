/**
 * The OAuth scopes the sandbox knows, how Google spells them back, and what the consent
 * page says about each. Sign-in scopes (`openid`, `email`, `profile`) are always granted
 * when requested; Google answers `email`/`profile` in their long `userinfo.*` form.
 */
import { SCOPES } from '../context.ts';

export const OPENID = 'openid';
export const USERINFO_EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
export const USERINFO_PROFILE = 'https://www.googleapis.com/auth/userinfo.profile';

const SHORT_FORMS: Record<string, string> = {
  email: USERINFO_EMAIL,
  profile: USERINFO_PROFILE,
};

export const SIGN_IN_SCOPES: readonly string[] = [OPENID, USERINFO_EMAIL, USERINFO_PROFILE];

/** Human text shown on the consent page, one entry per grantable (non-sign-in) scope. */
const DESCRIPTIONS: Record<string, string> = {
  [SCOPES.gmailReadonly]: 'Read your email messages and settings',
  [SCOPES.gmailModify]: 'Read, compose and send email, and change labels',
  [SCOPES.gmailFull]: 'Read, compose, send and permanently delete all your email',
  'https://www.googleapis.com/auth/gmail.metadata':
    'View your email message metadata such as labels and headers',
  'https://www.googleapis.com/auth/gmail.send': 'Send email on your behalf',
  [SCOPES.calendarReadonly]: 'See and download any calendar you can access',
  [SCOPES.calendarEventsReadonly]: 'View events on all your calendars',
  [SCOPES.calendarFull]: 'See, edit, share and permanently delete all your calendars',
  'https://www.googleapis.com/auth/calendar.events': 'View and edit events on all your calendars',
};

/** Scopes shown in discovery's `scopes_supported`. */
export const SCOPES_SUPPORTED: readonly string[] = ['openid', 'email', 'profile'];

/** Normalises one requested scope to the form Google grants, or null when unknown. */
export function normalizeScope(scope: string): string | null {
  const long = SHORT_FORMS[scope] ?? scope;
  if (SIGN_IN_SCOPES.includes(long) || long in DESCRIPTIONS) return long;
  return null;
}

/** Splits a space-separated scope string into unique, normalised scopes (unknown ones apart). */
export function parseScopes(value: string): { known: string[]; unknown: string[] } {
  const known: string[] = [];
  const unknown: string[] = [];
  for (const part of value.split(/\s+/)) {
    if (part === '') continue;
    const scope = normalizeScope(part);
    if (scope === null) unknown.push(part);
    else if (!known.includes(scope)) known.push(scope);
  }
  return { known, unknown };
}

export function isSignInScope(scope: string): boolean {
  return SIGN_IN_SCOPES.includes(scope);
}

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? scope;
}

/** A stable, space-separated rendering (sorted) of a set of scopes. */
export function formatScopes(scopes: Iterable<string>): string {
  return [...new Set(scopes)].sort().join(' ');
}
