/**
 * Gmail v1 read calls (messages, threads, labels, profile) over the request core.
 *
 * Listing with headers costs two sequential round trips whatever the page size: one
 * `messages.list`, then ONE parallel wave of `messages.get?format=metadata`, at most
 * `concurrency` (default 10) in flight. Why not the batch endpoint: a batch is one round
 * trip too, but Google answers it only when every inner call is done (often executed one
 * after another server-side), each part still costs its own quota, parts fail one by one
 * inside a multipart body that needs its own parser and its own retry logic, and Google
 * discourages batches over 50. Parallel gets over keep-alive connections finish in about
 * one get's latency for the default page of 10, reuse the same retry/timeout/401 path as
 * every other call, and a rate-limited get is retried alone. With 50 on a page and 10 in
 * flight the wave is 5 gets deep per connection: still bounded, still no N+1 chain.
 */
import { mapLimited } from './map-limited.ts';
import type { GoogleRequester } from './google-request.ts';
import {
  GmailLabelListSchema,
  GmailLabelSchema,
  GmailMessageListSchema,
  GmailMessageSchema,
  GmailProfileSchema,
  GmailThreadSchema,
} from './gmail-schemas.ts';
import type {
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
  /** One list, then one bounded parallel wave of gets in the given format. */
  listMessagesWith(
    params: GmailListParams,
    get: GmailGetParams,
  ): Promise<{ messages: GmailMessage[]; nextPageToken?: string; resultSizeEstimate?: number }>;
  getThread(id: string, params: GmailGetParams): Promise<GmailThread>;
  listLabels(): Promise<GmailLabel[]>;
  getLabel(id: string): Promise<GmailLabel>;
  /** The mailbox's own address; asked once per client. */
  getProfile(): Promise<GmailProfile>;
}

const BASE = '/gmail/v1/users/me';

function getQuery(params: GmailGetParams): Record<string, string | readonly string[]> {
  if (params.format === 'metadata') {
    return {
      format: 'metadata',
      ...(params.metadataHeaders ? { metadataHeaders: params.metadataHeaders } : {}),
    };
  }
  return { format: params.format };
}

export function createGmailApi(request: GoogleRequester, concurrency: number): GmailApi {
  let profile: Promise<GmailProfile> | null = null;
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
      const refs = list.messages ?? [];
      const messages = await mapLimited(refs, concurrency, (ref) => api.getMessage(ref.id, get));
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
    getProfile() {
      if (profile === null) {
        profile = request(GmailProfileSchema, {
          operation: 'gmail.users.getProfile',
          path: `${BASE}/profile`,
        });
        profile.catch(() => {
          profile = null;
        });
      }
      return profile;
    },
  };
  return api;
}
