/**
 * Capabilities: the read-only tools every front door offers, each declared once (name,
 * description, zod input and output, the scope it needs, a handler), and the one runner
 * that validates, checks scopes and runs them. Imports `google/` and `errors.ts` only: a
 * capability knows the Google API it is handed, never users, connections or front doors.
 */
export { CAPABILITIES, capabilityNamed } from './registry.ts';
export type { CapabilityName } from './registry.ts';
export { defineCapability, runCapability } from './define-capability.ts';
export type {
  AnyCapability,
  Capability,
  CapabilityContext,
  CapabilityInput,
  CapabilityOutput,
} from './define-capability.ts';
export { actionsExtract } from './actions-extract.ts';
export { calendarAgenda } from './calendar-agenda.ts';
export { calendarFreebusy } from './calendar-freebusy.ts';
export { calendarNext } from './calendar-next.ts';
export { gmailRead } from './gmail-read.ts';
export { gmailSearch } from './gmail-search.ts';
export { gmailUnread } from './gmail-unread.ts';
export type { AgendaEvent } from './calendar-events.ts';
export type { FullMessage, MessageSummary } from './mail-shapes.ts';
export {
  AlertSchema,
  WatchQuerySchema,
  WatchRuleSchema,
  watchCreate,
  watchList,
  watchRemove,
  watchScan,
} from './watch-rules.ts';
export type { Alert, WatchBook, WatchRule } from './watch-rules.ts';
