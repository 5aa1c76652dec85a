/**
 * Every capability Tidings offers, in one list. The bot, `/v1`, MCP and the OpenClaw
 * plugin all read these definitions; there is exactly one implementation of each.
 */
import { actionsExtract } from './actions-extract.ts';
import { calendarAgenda } from './calendar-agenda.ts';
import { calendarFreebusy } from './calendar-freebusy.ts';
import { calendarNext } from './calendar-next.ts';
import type { AnyCapability } from './define-capability.ts';
import { gmailRead } from './gmail-read.ts';
import { gmailSearch } from './gmail-search.ts';
import { gmailUnread } from './gmail-unread.ts';
import { watchCreate, watchList, watchRemove } from './watch-rules.ts';

export const CAPABILITIES = [
  gmailSearch,
  gmailUnread,
  gmailRead,
  calendarAgenda,
  calendarFreebusy,
  calendarNext,
  actionsExtract,
  watchCreate,
  watchList,
  watchRemove,
] as const;

/** Every capability's name, derived from the list. */
export type CapabilityName = (typeof CAPABILITIES)[number]['name'];

/**
 * The capability with that name, or undefined: for front doors that receive a name from
 * outside (a URL, a tool call). Everything inside passes the capability object itself.
 */
export function capabilityNamed(name: string): AnyCapability | undefined {
  return CAPABILITIES.find((c) => c.name === name);
}
