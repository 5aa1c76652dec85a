/**
 * `users.history.list`: the changes after `startHistoryId`: `messagesAdded` when mail
 * arrived, `labelsAdded` / `labelsRemoved` when the control API changed a message's
 * labels; `historyTypes` keeps only the kinds asked for. A start id older than the kept
 * history answers 404, telling the client to do a full sync, as Gmail does.
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
      const wanted = (kind: string) => types.length === 0 || types.includes(kind);
      const labelId = one(query, 'labelId');
      const records = mailbox.history.filter(
        (record) =>
          record.id > startId &&
          (labelId === undefined || record.message.labelIds.includes(labelId)) &&
          (record.labelsAdded || record.labelsRemoved
            ? (record.labelsAdded !== undefined && wanted('labelAdded')) ||
              (record.labelsRemoved !== undefined && wanted('labelRemoved'))
            : wanted('messageAdded')),
      );
      return {
        found: records,
        render: (items: typeof records) =>
          items.map(({ id, message, labelsAdded, labelsRemoved }) => {
            const ref = { id: message.id, threadId: message.threadId };
            const withLabels = { ...ref, labelIds: [...message.labelIds] };
            if (!labelsAdded && !labelsRemoved) {
              return { id: String(id), messages: [ref], messagesAdded: [{ message: withLabels }] };
            }
            return {
              id: String(id),
              messages: [ref],
              ...(labelsAdded && wanted('labelAdded')
                ? { labelsAdded: [{ message: withLabels, labelIds: [...labelsAdded] }] }
                : {}),
              ...(labelsRemoved && wanted('labelRemoved')
                ? { labelsRemoved: [{ message: withLabels, labelIds: [...labelsRemoved] }] }
                : {}),
            };
          }),
        tail: { historyId: String(mailbox.historyId) },
      };
    },
  });
}
