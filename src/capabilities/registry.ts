/**
 * Every capability Tidings offers, in one list. The bot, `/v1`, MCP and the OpenClaw
 * plugin all read these definitions; there is exactly one implementation of each.
 */
import { actionsExtract } from './actions-extract.ts';
import { calendarAgenda } from './calendar-agenda.ts';
import { calendarFreebusy } from './calendar-freebusy.ts';
import { calendarNext } from './calendar-next.ts';
import type { Capability } from './define-capability.ts';
import { gmailRead } from './gmail-read.ts';
import { gmailSearch } from './gmail-search.ts';
import { gmailUnread } from './gmail-unread.ts';

export const CAPABILITIES: readonly Capability[] = [
  gmailSearch,
  gmailUnread,
  gmailRead,
  calendarAgenda,
  calendarFreebusy,
  calendarNext,
  actionsExtract,
];

export type CapabilityName =
  | 'gmail.search'
  | 'gmail.unread'
  | 'gmail.read'
  | 'calendar.agenda'
  | 'calendar.freebusy'
  | 'calendar.next'
  | 'actions.extract';

/** The capability with that name, or undefined. */
export function getCapability(name: string): Capability | undefined {
  return CAPABILITIES.find((c) => c.name === name);
}
