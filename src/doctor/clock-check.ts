/**
 * Check 10: this machine's clock against Google's, from the `Date` header of the
 * discovery answer (one-second resolution, plus the time the answer took). Tidings judges
 * token expiry by its own clock, and Cross-Account Protection refuses security event
 * tokens whose `iat` looks more than five minutes ahead, so a clock far off breaks both.
 */
import type { DiscoveryFinding } from './google-checks.ts';
import { type CheckResult, fail, pass, skip } from './report.ts';

const ID = 'clock';

/** Beyond this, in seconds, the check fails. */
export const MAX_SKEW_SECONDS = 60;

export function checkClock(clocks: DiscoveryFinding['clocks']): CheckResult {
  if (!clocks) return skip(ID, 'not checked: no Date header from Google to compare with');
  const skew = Math.round((clocks.local.getTime() - clocks.google.getTime()) / 1000);
  const size = Math.abs(skew);
  const details = { skewSeconds: skew, google: clocks.google.toISOString() };
  if (size > MAX_SKEW_SECONDS) {
    return fail(
      ID,
      `this machine's clock is ${size} s ${skew > 0 ? 'ahead of' : 'behind'} Google's (more than ${MAX_SKEW_SECONDS} s)`,
      'Synchronise the clock (NTP: timedatectl set-ntp true, or chrony). Tidings judges when Google tokens expire by it (a clock behind keeps using tokens Google has expired), and refuses Cross-Account Protection events whose iat is more than five minutes ahead of it (a clock behind drops Google’s revocation notices).',
      details,
    );
  }
  return pass(ID, `this machine's clock is within ${Math.max(size, 1)} s of Google's`, details);
}
