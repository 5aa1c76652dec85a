/**
 * `users.threads.list` and `users.threads.get`.
 */
import type { FastifyInstance } from 'fastify';
import { GMAIL_READ_SCOPES, type SandboxContext } from '../context.ts';
import { searchThreads, threadMessages } from './mailbox-search.ts';
import { messageResource } from './message-resource.ts';
import {
  decodePageToken,
  flag,
  isValidId,
  many,
  maxResults,
  one,
  page,
  type QueryParams,
  sendInvalid,
  sendNotFound,
} from './route-support.ts';
import { readFormat, type UserParams } from './routes-messages.ts';
import type { GmailStore } from './store.ts';

export function registerThreadRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  app.get<{ Params: UserParams; Querystring: QueryParams }>(
    '/gmail/v1/users/:userId/threads',
    (request, reply) => {
      const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
      if (!user) return reply;
      if (!ctx.spendQuota(reply, 'gmail', user.email, 10)) return reply;
      const query = request.query;
      const size = maxResults(query, 100, 500);
      if (typeof size === 'string') return sendInvalid(ctx, reply, size);
      const offset = decodePageToken(one(query, 'pageToken'));
      if (offset === undefined) return sendInvalid(ctx, reply, 'Invalid pageToken');
      const mailbox = store.view(user.email);
      const found = searchThreads(
        mailbox,
        {
          q: one(query, 'q') ?? '',
          labelIds: many(query, 'labelIds'),
          includeSpamTrash: flag(query, 'includeSpamTrash'),
        },
        { now: ctx.now(), timeZone: user.timeZone },
      );
      const { items, nextPageToken } = page(found, offset, size);
      const threads = items.map(({ threadId }) => {
        const messages = threadMessages(mailbox, threadId);
        const last = messages[messages.length - 1]!;
        const historyId = Math.max(...messages.map((message) => message.historyId));
        return { id: threadId, snippet: last.snippet, historyId: String(historyId) };
      });
      return {
        ...(threads.length > 0 ? { threads } : {}),
        ...(nextPageToken ? { nextPageToken } : {}),
        resultSizeEstimate: found.length,
      };
    },
  );

  app.get<{ Params: UserParams & { threadId: string }; Querystring: QueryParams }>(
    '/gmail/v1/users/:userId/threads/:threadId',
    (request, reply) => {
      const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
      if (!user) return reply;
      if (!ctx.spendQuota(reply, 'gmail', user.email, 10)) return reply;
      const format = readFormat(request.query);
      if (!format || format === 'raw') return sendInvalid(ctx, reply, 'Invalid format value');
      const { threadId } = request.params;
      if (!isValidId(threadId)) return sendInvalid(ctx, reply, 'Invalid id value');
      const mailbox = store.mailbox(user.email);
      const messages = mailbox ? threadMessages(mailbox, threadId.toLowerCase()) : [];
      if (messages.length === 0) return sendNotFound(ctx, reply);
      const headers = many(request.query, 'metadataHeaders');
      return {
        id: threadId.toLowerCase(),
        historyId: String(Math.max(...messages.map((message) => message.historyId))),
        messages: messages.map((message) => messageResource(message, format, headers)),
      };
    },
  );
}
