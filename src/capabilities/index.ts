/**
 * Public surface of the capability registry: the definitions, the one runner every front
 * door calls, and the context a run needs.
 */
export { CAPABILITIES, getCapability } from './registry.ts';
export type { CapabilityName } from './registry.ts';
export { defineCapability, runCapability } from './define-capability.ts';
export type { Capability, CapabilityContext } from './define-capability.ts';
export { actionsExtract } from './actions-extract.ts';
export { calendarAgenda } from './calendar-agenda.ts';
export { calendarFreebusy } from './calendar-freebusy.ts';
export { calendarNext } from './calendar-next.ts';
export { gmailRead } from './gmail-read.ts';
export { gmailSearch } from './gmail-search.ts';
export { gmailUnread } from './gmail-unread.ts';
export type { AgendaEvent } from './calendar-events.ts';
export type { FullMessage, MessageSummary } from './mail-shapes.ts';
