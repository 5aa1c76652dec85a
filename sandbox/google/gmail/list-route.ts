/**
 * What Gmail's three list routes (`users.messages.list`, `users.threads.list`,
 * `users.history.list`) share: the caller's access and quota, then `maxResults` (default
 * 100, at most 500) and `pageToken` checked before any lookup, then one page of what the
 * route found under its own field (left out when empty), `nextPageToken` while more
 * remain, and the route's closing fields (`resultSizeEstimate`, `historyId`).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GMAIL_READ_SCOPES, type SandboxContext, type SandboxUser } from '../context.ts';
import type { SearchInput } from './mailbox-search.ts';
import {
  decodePageToken,
  flag,
  many,
  maxResults,
  one,
  page,
  type QueryParams,
  sendInvalid,
  type UserParams,
} from './route-support.ts';

/** Everything a list route matched, in order; the helper cuts the page. */
export interface ListResult<T> {
  found: readonly T[];
  /** The page's items as the answer shows them. */
  render(items: T[]): unknown[];
  /** The fields that close the answer, after the list and `nextPageToken`. */
  tail: Record<string, unknown>;
}

export interface ListRoute<T> {
  path: string;
  /** Gmail quota units one call costs. */
  quotaUnits: number;
  /** The answer's list field: `messages`, `threads` or `history`. */
  field: string;
  /** The route's own parameter checks, before paging; a sent reply ends the request. */
  check?(query: QueryParams, reply: FastifyReply): FastifyReply | null;
  /** What matches, or null once an error has been sent. */
  find(user: SandboxUser, query: QueryParams, reply: FastifyReply): ListResult<T> | null;
}

export function registerListRoute<T>(
  app: FastifyInstance,
  ctx: SandboxContext,
  route: ListRoute<T>,
): void {
  app.get<{ Params: UserParams; Querystring: QueryParams }>(route.path, (request, reply) => {
    const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
    if (!user) return reply;
    if (!ctx.spendQuota(reply, 'gmail', user.email, route.quotaUnits)) return reply;
    const query = request.query;
    if (route.check?.(query, reply)) return reply;
    const size = maxResults(query, 100, 500);
    if (typeof size === 'string') return sendInvalid(ctx, reply, size);
    const offset = decodePageToken(one(query, 'pageToken'));
    if (offset === undefined) return sendInvalid(ctx, reply, 'Invalid pageToken');
    const result = route.find(user, query, reply);
    if (!result) return reply;
    const { items, nextPageToken } = page(result.found, offset, size);
    const shown = result.render(items);
    return {
      ...(shown.length > 0 ? { [route.field]: shown } : {}),
      ...(nextPageToken ? { nextPageToken } : {}),
      ...result.tail,
    };
  });
}

/** The search parameters of `messages.list` and `threads.list`. */
export function searchInput(query: QueryParams): SearchInput {
  return {
    q: one(query, 'q') ?? '',
    labelIds: many(query, 'labelIds'),
    includeSpamTrash: flag(query, 'includeSpamTrash'),
  };
}
