/**
 * Intent: understanding what a person typed. A deterministic router from free text to an
 * intent (agenda, free time, mail search, actions), and parsers for command arguments
 * (days, times, zones, briefing times), all in the user's own time zone; and follow-ups
 * ("open 1", "more", "and friday?") read against what the chat showed last. Pure
 * functions: imports nothing of Tidings.
 */
export { routeIntent, SUGGESTIONS } from './intent-router.ts';
export { parseBriefingTime, parseDayArg, parseWhenArg } from './command-args.ts';
export type { BriefingTime } from './command-args.ts';
export { parseTimeZone } from './time-zone.ts';
export { dateTimeFormat, isValidZoneName } from './intl-cache.ts';
export { readFollowUp, resolveFollowUp } from './follow-ups.ts';
export type { FollowUp, FollowUpAction, FollowUpContext } from './follow-ups.ts';
export { buildMailQuery, safeTokens } from './mail-query.ts';
export type { MailQuery } from './mail-query.ts';
export type {
  ActionsIntent,
  AgendaIntent,
  DateRange,
  FreeAtIntent,
  FreeSlotsIntent,
  Intent,
  IntentKind,
  MailSearchIntent,
  RouteContext,
  WatchCreateIntent,
  WatchRemoveIntent,
} from './intent.ts';
export { parseQuietHours } from './quiet-hours-arg.ts';
export type { QuietHoursArg } from './quiet-hours-arg.ts';
