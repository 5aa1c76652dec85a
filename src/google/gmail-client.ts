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
 * A repeat listing in metadata format costs one round trip: the connection's memo keeps
 * message metadata (`message-cache.ts`; headers and snippet never change for a message
 * id), so the listing sends `messages.list` and `history.list` (the label changes since
 * the last listing) in one batch, applies the changes to the kept labels, and fetches only
 * the messages it does not hold, in one more batch. Labels, `UNREAD` included, are never
 * served from an older state than the history just read. When the history cannot be read
 * (too old, too long) what was kept is dropped and the page is fetched as the first time.
 * The first listing of a connection reads the mailbox's history id from the profile
 * (asked alongside the list, kept an hour) before its gets, to start from.
 *
 * The mailbox address (`getProfile`) is kept per connection for an hour.
 */
import { narrowOnRefusal } from './connection-gate.ts';
import type { ConnectionMemo } from './connection-memo.ts';
import { z } from 'zod';
import { batchGet, isRefusedAttempt } from './gmail-batch.ts';
import type { BatchCall } from './gmail-batch.ts';
import { translateGoogleFailure } from './google-failure.ts';
import { createRequester } from './google-request.ts';
import type { QueryValue, RequestDeps } from './google-request.ts';
import { GmailHistoryListSchema, HISTORY_TYPES } from './message-cache.ts';
import type { CacheTicket } from './message-cache.ts';
import {
  GmailAddedHistorySchema,
  GmailAttachmentSchema,
  GmailLabelListSchema,
  GmailLabelSchema,
  GmailMessageListSchema,
  GmailMessageSchema,
  GmailProfileSchema,
  GmailThreadSchema,
} from './gmail-schemas.ts';
import type {
  GmailAddedHistory,
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
  /**
   * One page of the mail added since `startHistoryId` (2 quota units). Throws `not_found`
   * when Gmail no longer keeps history that old.
   */
  listAddedHistory(params: {
    startHistoryId: string;
    pageToken?: string;
    maxResults?: number;
  }): Promise<GmailAddedHistory>;
  /** The mailbox's history id now (a profile read, never the kept profile). */
  currentHistoryId(): Promise<string>;
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

function listQuery(params: GmailListParams): Record<string, QueryValue> {
  return {
    q: params.q,
    labelIds: params.labelIds,
    maxResults: params.maxResults,
    pageToken: params.pageToken,
    includeSpamTrash: params.includeSpamTrash,
  };
}

/** What a listing's gets are, as a cache key: only metadata gets are kept. */
function shapeOf(params: GmailGetParams): string | null {
  if (params.format !== 'metadata') return null;
  return `metadata:${(params.metadataHeaders ?? []).join(',')}`;
}

/** History records asked per listing: more means too much changed, fetch it all. */
const HISTORY_PAGE = 500;

/** A batch part's JSON as `schema` reads it, or our error for an answer we cannot read. */
function readPart<T>(schema: z.ZodType<T>, operation: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const problem = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
  throw translateGoogleFailure({ kind: 'invalid_response', operation, problem });
}

type ListedPage = Awaited<ReturnType<GmailApi['listMessagesWith']>>;

/** The Gmail client of one connection, its calls bounded by the gate's Gmail lane. */
export function createGmailApi(shared: RequestDeps, memo: ConnectionMemo): GmailApi {
  const lane = shared.gate.lane('gmail', GMAIL_CALLS_IN_FLIGHT);
  const deps: RequestDeps = { ...shared, gate: narrowOnRefusal(lane, isRefusedAttempt) };
  const request = createRequester(deps);
  const cache = memo.messages;

  /**
   * The listed messages in list order: those kept under `ticket`, the others fetched in
   * one batch and kept (`startAt`: where a connection without history starts it).
   */
  async function fill(
    list: GmailMessageList,
    get: GmailGetParams,
    kept: { ticket: CacheTicket; shape: string; startAt: string | null } | null,
  ): Promise<ListedPage> {
    const ids = (list.messages ?? []).map((ref) => ref.id);
    const held = kept ? cache.lookup(kept.ticket, kept.shape, ids) : new Map<string, never>();
    const missing = ids.filter((id) => !held.has(id));
    const calls: BatchCall[] = missing.map((id) => ({
      path: `${BASE}/messages/${encodeURIComponent(id)}`,
      query: getQuery(get),
    }));
    const results =
      calls.length === 0
        ? []
        : await batchGet(
            deps,
            GmailMessageSchema,
            'gmail.messages.get',
            calls,
            (failure) => failure.kind === 'http' && failure.status === 404,
          );
    const fetched = new Map<string, GmailMessage>();
    results.forEach((result, i) => {
      if (result.ok) fetched.set(missing[i]!, result.value);
    });
    if (kept && fetched.size > 0)
      cache.store(kept.ticket, kept.shape, [...fetched.values()], kept.startAt);
    const messages = ids.flatMap((id) => {
      const message = held.get(id) ?? fetched.get(id);
      return message ? [message] : [];
    });
    return {
      messages,
      ...(list.nextPageToken ? { nextPageToken: list.nextPageToken } : {}),
      ...(list.resultSizeEstimate === undefined
        ? {}
        : { resultSizeEstimate: list.resultSizeEstimate }),
    };
  }

  /** The list and the label changes since `ticket.syncedTo`, in one batch. */
  async function listWithHistory(
    params: GmailListParams,
    ticket: CacheTicket,
  ): Promise<{ list: GmailMessageList; history: z.infer<typeof GmailHistoryListSchema> | null }> {
    const [listed, history] = await batchGet(
      deps,
      z.unknown(),
      'gmail.messages.list',
      [
        {
          path: `${BASE}/messages`,
          query: listQuery(params),
          operation: 'gmail.messages.list',
        },
        {
          path: `${BASE}/history`,
          query: {
            startHistoryId: ticket.syncedTo ?? '',
            historyTypes: HISTORY_TYPES,
            maxResults: HISTORY_PAGE,
          },
          operation: 'gmail.users.history.list',
        },
      ],
      // The history may be gone (404) or unreadable: the page is then fetched whole.
      (_failure, index) => index === 1,
    );
    if (!listed?.ok) throw new Error('the listing answered nothing');
    const list = readPart(GmailMessageListSchema, 'gmail.messages.list', listed.value);
    const read = history?.ok ? GmailHistoryListSchema.safeParse(history.value) : null;
    return { list, history: read?.success ? read.data : null };
  }

  const api: GmailApi = {
    listMessages: (params) =>
      request(GmailMessageListSchema, {
        operation: 'gmail.messages.list',
        path: `${BASE}/messages`,
        query: listQuery(params),
      }),
    getMessage: (id, params) =>
      request(GmailMessageSchema, {
        operation: 'gmail.messages.get',
        path: `${BASE}/messages/${encodeURIComponent(id)}`,
        query: getQuery(params),
      }),
    async listMessagesWith(params, get) {
      const shape = shapeOf(get);
      if (shape === null) return fill(await api.listMessages(params), get, null);
      let ticket = cache.begin(deps.connectionId);
      if (ticket.syncedTo === null) {
        // The profile's history id, read before the gets, starts the connection's history.
        const [list, startAt] = await Promise.all([
          api.listMessages(params),
          api.getProfile().then(
            (profile) => profile.historyId ?? null,
            () => null,
          ),
        ]);
        return fill(list, get, { ticket, shape, startAt });
      }
      const { list, history } = await listWithHistory(params, ticket);
      if (history === null) {
        ticket = cache.reset(ticket);
        return fill(list, get, { ticket, shape, startAt: null });
      }
      ticket = cache.applyHistory(ticket, history);
      return fill(list, get, { ticket, shape, startAt: history.historyId });
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
    listAddedHistory: (params) =>
      request(GmailAddedHistorySchema, {
        operation: 'gmail.users.history.list',
        path: `${BASE}/history`,
        query: {
          startHistoryId: params.startHistoryId,
          historyTypes: ['messageAdded'],
          maxResults: params.maxResults,
          pageToken: params.pageToken,
        },
      }),
    async currentHistoryId() {
      const profile = await request(GmailProfileSchema, {
        operation: 'gmail.users.getProfile',
        path: `${BASE}/profile`,
      });
      if (profile.historyId === undefined) {
        throw translateGoogleFailure({
          kind: 'invalid_response',
          operation: 'gmail.users.getProfile',
          problem: 'historyId: missing',
        });
      }
      return profile.historyId;
    },
  };
  return api;
}
