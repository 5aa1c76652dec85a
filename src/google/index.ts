/**
 * Google's read APIs: Gmail and Calendar clients bound to one connection (`createGoogleApi`),
 * with one retry core, batching, a gate on calls in flight per connection, the response
 * schemas, MIME and charset decoding, and the scope rules. Knows nothing of how a token is
 * obtained: it asks the `TokenSource` it is given (the broker). Imports only `errors.ts`.
 */
export type { TokenSource } from './token-source.ts';
export { createGoogleApi } from './google-api.ts';
export type { GoogleApi, GoogleApiDeps } from './google-api.ts';
export { createConnectionGate } from './connection-gate.ts';
export type { ConnectionGate } from './connection-gate.ts';
export { createConnectionMemo } from './connection-memo.ts';
export type { ConnectionMemo } from './connection-memo.ts';
export { MAX_BATCH_CALLS } from './gmail-batch.ts';
export { DEFAULT_CALLS_IN_FLIGHT } from './google-request.ts';
export type { GmailApi, GmailGetParams, GmailListParams } from './gmail-client.ts';
export type { CalendarApi, EventsParams, FreeBusyParams } from './calendar-client.ts';
export type { BackoffPolicy } from './backoff.ts';
export type {
  GmailAttachment,
  GmailLabel,
  GmailMessage,
  GmailMessageList,
  GmailMessagePart,
  GmailProfile,
  GmailThread,
} from './gmail-schemas.ts';
export type { CalendarEvent, CalendarListEntry, FreeBusy } from './calendar-schemas.ts';
export { decodeEntities, decodeHeaders, decodeMessage, DEFAULT_MAX_CHARS } from './mime-decode.ts';
export { withLargeBodies } from './large-bodies.ts';
export type { AttachmentInfo, DecodedMessage } from './mime-decode.ts';
export { parseAddressList } from './addresses.ts';
export { mapLimited } from './map-limited.ts';
export type { Address } from './addresses.ts';
export { decodeHeaderValue } from './rfc2047.ts';
export { htmlToText } from './html-text.ts';
export { hasScopeFor, SCOPE_NEEDS } from './scopes.ts';
export type { ScopeNeed } from './scopes.ts';
export { translateGoogleFailure } from './google-failure.ts';
export type { GoogleFailure } from './google-failure.ts';
