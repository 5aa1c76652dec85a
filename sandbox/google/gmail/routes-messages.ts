/**
 * `users.messages.list`, `users.messages.get` and `users.messages.attachments.get`.
 */
import type { FastifyInstance } from 'fastify';
import { GMAIL_READ_SCOPES, type SandboxContext } from '../context.ts';
import { searchMessages } from './mailbox-search.ts';
import {
  findAttachment,
  MESSAGE_FORMATS,
  type MessageFormat,
  messageResource,
} from './message-resource.ts';
import { registerListRoute, searchInput } from './list-route.ts';
import {
  isValidId,
  many,
  one,
  type QueryParams,
  sendInvalid,
  sendNotFound,
  type UserParams,
} from './route-support.ts';
import type { GmailStore } from './store.ts';

/** Reads `format` (default full); undefined when the value is not a Gmail format. */
export function readFormat(query: QueryParams): MessageFormat | undefined {
  const value = (one(query, 'format') ?? 'full').toLowerCase();
  return (MESSAGE_FORMATS as readonly string[]).includes(value)
    ? (value as MessageFormat)
    : undefined;
}

export function registerMessageRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  registerListRoute(app, ctx, {
    path: '/gmail/v1/users/:userId/messages',
    quotaUnits: 5,
    field: 'messages',
    find(user, query) {
      const found = searchMessages(store.view(user.email), searchInput(query), {
        now: ctx.now(),
        timeZone: user.timeZone,
      });
      return {
        found,
        render: (items: typeof found) =>
          items.map((message) => ({ id: message.id, threadId: message.threadId })),
        tail: { resultSizeEstimate: found.length },
      };
    },
  });

  app.get<{ Params: UserParams & { messageId: string }; Querystring: QueryParams }>(
    '/gmail/v1/users/:userId/messages/:messageId',
    (request, reply) => {
      const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
      if (!user) return reply;
      if (!ctx.spendQuota(reply, 'gmail', user.email, 5)) return reply;
      const format = readFormat(request.query);
      if (!format) return sendInvalid(ctx, reply, 'Invalid format value');
      const { messageId } = request.params;
      if (!isValidId(messageId)) return sendInvalid(ctx, reply, 'Invalid id value');
      const message = store.mailbox(user.email)?.messages.get(messageId.toLowerCase());
      if (!message) return sendNotFound(ctx, reply);
      return messageResource(message, format, many(request.query, 'metadataHeaders'));
    },
  );

  app.get<{ Params: UserParams & { messageId: string; attachmentId: string } }>(
    '/gmail/v1/users/:userId/messages/:messageId/attachments/:attachmentId',
    (request, reply) => {
      const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
      if (!user) return reply;
      if (!ctx.spendQuota(reply, 'gmail', user.email, 5)) return reply;
      const { messageId, attachmentId } = request.params;
      if (!isValidId(messageId)) return sendInvalid(ctx, reply, 'Invalid id value');
      const message = store.mailbox(user.email)?.messages.get(messageId.toLowerCase());
      if (!message) return sendNotFound(ctx, reply);
      const part = findAttachment(message, attachmentId);
      if (!part) return sendInvalid(ctx, reply, 'Invalid attachment token');
      return { size: part.body.length, data: part.body.toString('base64url') };
    },
  );
}
