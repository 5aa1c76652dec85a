/**
 * `users.history.list`: the changes after `startHistoryId`. Mail only ever arrives in the
 * sandbox, so records are `messagesAdded`. A start id older than the kept history answers
 * 404, telling the client to do a full sync, as Gmail does.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { registerListRoute } from './list-route.ts';
import { many, one, sendInvalid, sendNotFound } from './route-support.ts';
import type { GmailStore } from './store.ts';

export function registerHistoryRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  registerListRoute(app, ctx, {
    path: '/gmail/v1/users/:userId/history',
    quotaUnits: 2,
    field: 'history',
    check(query, reply) {
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
      return null;
    },
    find(user, query, reply) {
      const mailbox = store.view(user.email);
      const startId = Number(one(query, 'startHistoryId'));
      if (startId < mailbox.historyFloor) {
        sendNotFound(ctx, reply);
        return null;
      }
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
      return {
        found: records,
        render: (items: typeof records) =>
          items.map(({ id, message }) => ({
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
          })),
        tail: { historyId: String(mailbox.historyId) },
      };
    },
  });
}
