/**
 * `users.history.list`: the changes after `startHistoryId`. Mail only ever arrives in the
 * sandbox, so records are `messagesAdded`. A start id older than the kept history answers
 * 404, telling the client to do a full sync, as Gmail does.
 */
import type { FastifyInstance } from 'fastify';
import { GMAIL_READ_SCOPES, type SandboxContext } from '../context.ts';
import {
  decodePageToken,
  many,
  maxResults,
  one,
  page,
  type QueryParams,
  sendInvalid,
  sendNotFound,
} from './route-support.ts';
import type { UserParams } from './routes-messages.ts';
import type { GmailStore } from './store.ts';

export function registerHistoryRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  app.get<{ Params: UserParams; Querystring: QueryParams }>(
    '/gmail/v1/users/:userId/history',
    (request, reply) => {
      const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
      if (!user) return reply;
      if (!ctx.spendQuota(reply, 'gmail', user.email, 2)) return reply;
      const query = request.query;
      const start = one(query, 'startHistoryId');
      if (start === undefined || start === '') {
        const message = 'Required parameter: startHistoryId';
        return ctx.sendError(
          reply,
          400,
          message,
          {
            message,
            domain: 'global',
            reason: 'required',
            location: 'startHistoryId',
            locationType: 'parameter',
          },
          'INVALID_ARGUMENT',
        );
      }
      if (!/^\d+$/.test(start)) return sendInvalid(ctx, reply, 'Invalid startHistoryId');
      const size = maxResults(query, 100, 500);
      if (typeof size === 'string') return sendInvalid(ctx, reply, size);
      const offset = decodePageToken(one(query, 'pageToken'));
      if (offset === undefined) return sendInvalid(ctx, reply, 'Invalid pageToken');
      const mailbox = store.view(user.email);
      const startId = Number(start);
      if (startId < mailbox.historyFloor) return sendNotFound(ctx, reply);
      const types = many(query, 'historyTypes');
      const labelId = one(query, 'labelId');
      const records =
        types.length > 0 && !types.includes('messageAdded')
          ? []
          : mailbox.history.filter(
              (record) =>
                record.id > startId &&
                (labelId === undefined || record.message.labelIds.includes(labelId)),
            );
      const { items, nextPageToken } = page(records, offset, size);
      const history = items.map(({ id, message }) => ({
        id: String(id),
        messages: [{ id: message.id, threadId: message.threadId }],
        messagesAdded: [
          {
            message: {
              id: message.id,
              threadId: message.threadId,
              labelIds: [...message.labelIds],
            },
          },
        ],
      }));
      return {
        ...(history.length > 0 ? { history } : {}),
        ...(nextPageToken ? { nextPageToken } : {}),
        historyId: String(mailbox.historyId),
      };
    },
  );
}
