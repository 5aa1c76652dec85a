/**
 * `users.threads.list` and `users.threads.get`.
 */
import type { FastifyInstance } from 'fastify';
import { GMAIL_READ_SCOPES, type SandboxContext } from '../context.ts';
import { searchThreads, threadMessages } from './mailbox-search.ts';
import { messageResource } from './message-resource.ts';
import { registerListRoute, searchInput } from './list-route.ts';
import {
  isValidId,
  many,
  type QueryParams,
  sendInvalid,
  sendNotFound,
  type UserParams,
} from './route-support.ts';
import { readFormat } from './routes-messages.ts';
import type { GmailStore } from './store.ts';

export function registerThreadRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  registerListRoute(app, ctx, {
    path: '/gmail/v1/users/:userId/threads',
    quotaUnits: 10,
    field: 'threads',
    find(user, query) {
      const mailbox = store.view(user.email);
      const found = searchThreads(mailbox, searchInput(query), {
        now: ctx.now(),
        timeZone: user.timeZone,
      });
      return {
        found,
        render: (items: typeof found) =>
          items.map(({ threadId }) => {
            const messages = threadMessages(mailbox, threadId);
            const last = messages[messages.length - 1]!;
            const historyId = Math.max(...messages.map((message) => message.historyId));
            return { id: threadId, snippet: last.snippet, historyId: String(historyId) };
          }),
        tail: { resultSizeEstimate: found.length },
      };
    },
  });

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
