/**
 * Gmail v1 read calls (messages, threads, labels, profile, attachments) over the request
 * core.
 *
 * Listing with headers costs two sequential round trips whatever the page size: one
 * `messages.list`, then ONE batch request (`POST /batch/gmail/v1`) carrying every
 * `messages.get` of the page (pages are at most 50, Google's advised batch ceiling). Why
 * the batch rather than a wave of parallel gets: measured against the sandbox with 50 ms
 * per call (bench/README.md), both are two round trips deep, but the batch is one HTTP
 * exchange instead of up to fifty, so it costs far less CPU on both ends and its depth
 * does not depend on how many sockets the pool opens; inner calls that fail are retried
 * alone in a smaller batch (`gmail-batch.ts`). Either way the connection's gate bounds
 * what is in flight for one mailbox across concurrent requests: a batch holds one permit
 * per inner call. A message deleted between the list and the get (404) is left out of the
 * page rather than failing it.
 *
 * The mailbox address (`getProfile`) is kept per connection for an hour.
 */
import type { ConnectionMemo } from './connection-memo.ts';
import { batchGet } from './gmail-batch.ts';
import type { BatchCall } from './gmail-batch.ts';
import { translateGoogleFailure } from './google-failure.ts';
import type { GoogleRequester, QueryValue, RequestDeps } from './google-request.ts';
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

export function createGmailApi(
  request: GoogleRequester,
  deps: RequestDeps,
  memo: ConnectionMemo,
): GmailApi {
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
      const results = await batchGet(deps, GmailMessageSchema, 'gmail.messages.get', calls);
      const messages: GmailMessage[] = [];
      for (const result of results) {
        if (result.ok) messages.push(result.value);
        else if (result.failure.kind !== 'http' || result.failure.status !== 404)
          throw translateGoogleFailure(result.failure);
      }
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
