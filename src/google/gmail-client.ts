/**
 * Gmail v1 read calls (messages, threads, labels, profile, attachments) over the request
 * core.
 *
 * Listing with headers costs one `messages.list`, then batch requests (`POST
 * /batch/gmail/v1`) carrying the page's `messages.get`s, ten at most each: two sequential
 * round trips for a page of up to ten, one more per further ten. Why the batch rather
 * than a wave of parallel gets: measured against the sandbox with 50 ms per call
 * (bench/README.md), the batch is one HTTP exchange instead of many, so it costs far less
 * CPU on both ends and its depth does not depend on how many sockets the pool opens;
 * inner calls that fail are retried alone (`gmail-batch.ts`).
 *
 * Gmail refuses a user's calls past a handful in flight at once (429 "Too many concurrent
 * requests for user"), counting each inner call of a batch. So every Gmail call of a
 * connection goes through the gate's Gmail lane, shared by every client of the process:
 * at most `GMAIL_CALLS_IN_FLIGHT` at once (a batch holds one permit per inner call), and
 * fewer for a minute after Gmail refused some (the lane is narrowed to what it accepted).
 * A message deleted between the list and the get (404) is left out of the page rather
 * than failing it.
 *
 * The mailbox address (`getProfile`) is kept per connection for an hour.
 */
import { narrowOnRefusal } from './connection-gate.ts';
import type { ConnectionMemo } from './connection-memo.ts';
import { batchGet, isRefusedAttempt } from './gmail-batch.ts';
import type { BatchCall } from './gmail-batch.ts';
import { createRequester } from './google-request.ts';
import type { QueryValue, RequestDeps } from './google-request.ts';
import {
  GmailAttachmentSchema,
  GmailLabelListSchema,
  GmailLabelSchema,
  GmailMessageListSchema,
  GmailMessageSchema,
  GmailProfileSchema,
  GmailThreadSchema,
} from './gmail-schemas.ts';
import type {
  GmailAttachment,
  GmailLabel,
  GmailMessage,
  GmailMessageList,
  GmailProfile,
  GmailThread,
} from './gmail-schemas.ts';

export interface GmailListParams {
  q?: string;
  labelIds?: readonly string[];
  maxResults?: number;
  pageToken?: string;
  includeSpamTrash?: boolean;
}

export type GmailGetParams =
  | { format: 'metadata'; metadataHeaders?: readonly string[] }
  | { format: 'full' | 'minimal' };

export interface GmailApi {
  listMessages(params: GmailListParams): Promise<GmailMessageList>;
  getMessage(id: string, params: GmailGetParams): Promise<GmailMessage>;
  /** One list, then one batch of gets in the given format (messages gone since: left out). */
  listMessagesWith(
    params: GmailListParams,
    get: GmailGetParams,
  ): Promise<{ messages: GmailMessage[]; nextPageToken?: string; resultSizeEstimate?: number }>;
  getThread(id: string, params: GmailGetParams): Promise<GmailThread>;
  listLabels(): Promise<GmailLabel[]>;
  getLabel(id: string): Promise<GmailLabel>;
  /** The mailbox's own address; kept per connection for an hour. */
  getProfile(): Promise<GmailProfile>;
  /** A part's bytes (`body.attachmentId`), base64url in `data`. */
  getAttachment(messageId: string, attachmentId: string): Promise<GmailAttachment>;
}

export const PROFILE_TTL_MS = 60 * 60_000;

/**
 * Gmail calls in flight per connection (the gate's Gmail lane): half of what Gmail is
 * seen to accept for one user, so a second client of the same account still fits.
 */
export const GMAIL_CALLS_IN_FLIGHT = 10;

const BASE = '/gmail/v1/users/me';

function getQuery(params: GmailGetParams): Record<string, QueryValue> {
  if (params.format === 'metadata') {
    return {
      format: 'metadata',
      ...(params.metadataHeaders ? { metadataHeaders: params.metadataHeaders } : {}),
    };
  }
  return { format: params.format };
}

/** The Gmail client of one connection, its calls bounded by the gate's Gmail lane. */
export function createGmailApi(shared: RequestDeps, memo: ConnectionMemo): GmailApi {
  const lane = shared.gate.lane('gmail', GMAIL_CALLS_IN_FLIGHT);
  const deps: RequestDeps = { ...shared, gate: narrowOnRefusal(lane, isRefusedAttempt) };
  const request = createRequester(deps);
  const api: GmailApi = {
    listMessages: (params) =>
      request(GmailMessageListSchema, {
        operation: 'gmail.messages.list',
        path: `${BASE}/messages`,
        query: {
          q: params.q,
          labelIds: params.labelIds,
          maxResults: params.maxResults,
          pageToken: params.pageToken,
          includeSpamTrash: params.includeSpamTrash,
        },
      }),
    getMessage: (id, params) =>
      request(GmailMessageSchema, {
        operation: 'gmail.messages.get',
        path: `${BASE}/messages/${encodeURIComponent(id)}`,
        query: getQuery(params),
      }),
    async listMessagesWith(params, get) {
      const list = await api.listMessages(params);
      const calls: BatchCall[] = (list.messages ?? []).map((ref) => ({
        path: `${BASE}/messages/${encodeURIComponent(ref.id)}`,
        query: getQuery(get),
      }));
      const results = await batchGet(
        deps,
        GmailMessageSchema,
        'gmail.messages.get',
        calls,
        (failure) => failure.kind === 'http' && failure.status === 404,
      );
      const messages = results.flatMap((result) => (result.ok ? [result.value] : []));
      return {
        messages,
        ...(list.nextPageToken ? { nextPageToken: list.nextPageToken } : {}),
        ...(list.resultSizeEstimate === undefined
          ? {}
          : { resultSizeEstimate: list.resultSizeEstimate }),
      };
    },
    getThread: (id, params) =>
      request(GmailThreadSchema, {
        operation: 'gmail.threads.get',
        path: `${BASE}/threads/${encodeURIComponent(id)}`,
        query: getQuery(params),
      }),
    async listLabels() {
      const list = await request(GmailLabelListSchema, {
        operation: 'gmail.labels.list',
        path: `${BASE}/labels`,
      });
      return list.labels ?? [];
    },
    getLabel: (id) =>
      request(GmailLabelSchema, {
        operation: 'gmail.labels.get',
        path: `${BASE}/labels/${encodeURIComponent(id)}`,
      }),
    getProfile: () =>
      memo.get(deps.connectionId, 'gmail.profile', PROFILE_TTL_MS, () =>
        request(GmailProfileSchema, {
          operation: 'gmail.users.getProfile',
          path: `${BASE}/profile`,
        }),
      ),
    getAttachment: (messageId, attachmentId) =>
      request(GmailAttachmentSchema, {
        operation: 'gmail.messages.attachments.get',
        path: `${BASE}/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachmentId)}`,
      }),
  };
  return api;
}
