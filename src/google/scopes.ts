/**
 * Which OAuth scopes allow reading Gmail and Calendar. A broader scope (modify, full
 * access) covers the read-only one, so each need is "any of" a list, read-only first.
 */

export type ScopeNeed = 'gmail' | 'calendar';

export const SCOPE_NEEDS: Readonly<Record<ScopeNeed, readonly string[]>> = {
  gmail: [
    'https://www.googleapis.com/auth/gmail.readonly',
    'https://www.googleapis.com/auth/gmail.modify',
    'https://mail.google.com/',
  ],
  calendar: [
    'https://www.googleapis.com/auth/calendar.readonly',
    'https://www.googleapis.com/auth/calendar.events.readonly',
    'https://www.googleapis.com/auth/calendar',
  ],
};

/** Whether the granted scopes cover a need. */
export function hasScopeFor(need: ScopeNeed, granted: readonly string[]): boolean {
  return SCOPE_NEEDS[need].some((scope) => granted.includes(scope));
}
