/**
 * The assistant: a deterministic intent router for free text, and parsers for command
 * arguments, all resolving dates in the user's own time zone.
 */
export { routeIntent, SUGGESTIONS } from './intent-router.ts';
export { parseBriefingTime, parseDayArg, parseWhenArg } from './command-args.ts';
export type { BriefingTime } from './command-args.ts';
export { parseTimeZone } from './time-zone.ts';
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
} from './intent.ts';
