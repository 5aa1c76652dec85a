/**
 * `users.labels.list`, `users.labels.get` (with message and thread counts) and
 * `users.getProfile`.
 */
import type { FastifyInstance } from 'fastify';
import { GMAIL_READ_SCOPES, type SandboxContext } from '../context.ts';
import { allLabels, type LabelCounts } from './labels.ts';
import { sendNotFound, type UserParams } from './route-support.ts';
import type { GmailStore, Mailbox } from './store.ts';

function countLabel(mailbox: Mailbox, labelId: string): LabelCounts {
  const threads = new Set<string>();
  const unreadThreads = new Set<string>();
  let messagesTotal = 0;
  let messagesUnread = 0;
  for (const message of mailbox.messages.values()) {
    if (!message.labelIds.includes(labelId)) continue;
    messagesTotal++;
    threads.add(message.threadId);
    if (message.labelIds.includes('UNREAD')) {
      messagesUnread++;
      unreadThreads.add(message.threadId);
    }
  }
  return {
    messagesTotal,
    messagesUnread,
    threadsTotal: threads.size,
    threadsUnread: unreadThreads.size,
  };
}

export function registerLabelRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  app.get<{ Params: UserParams }>('/gmail/v1/users/:userId/labels', (request, reply) => {
    const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
    if (!user) return reply;
    if (!ctx.spendQuota(reply, 'gmail', user.email, 1)) return reply;
    const mailbox = store.view(user.email);
    return { labels: allLabels(mailbox.userLabels.values()) };
  });

  app.get<{ Params: UserParams & { labelId: string } }>(
    '/gmail/v1/users/:userId/labels/:labelId',
    (request, reply) => {
      const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
      if (!user) return reply;
      if (!ctx.spendQuota(reply, 'gmail', user.email, 1)) return reply;
      const mailbox = store.view(user.email);
      const label = allLabels(mailbox.userLabels.values()).find(
        (candidate) => candidate.id === request.params.labelId,
      );
      if (!label) return sendNotFound(ctx, reply);
      const { type, color, ...rest } = label;
      return {
        ...rest,
        type,
        ...countLabel(mailbox, label.id),
        ...(color ? { color } : {}),
      };
    },
  );

  app.get<{ Params: UserParams }>('/gmail/v1/users/:userId/profile', (request, reply) => {
    const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
    if (!user) return reply;
    if (!ctx.spendQuota(reply, 'gmail', user.email, 1)) return reply;
    const mailbox = store.view(user.email);
    return {
      emailAddress: user.email,
      messagesTotal: mailbox.messages.size,
      threadsTotal: mailbox.threads.size,
      historyId: String(mailbox.historyId),
    };
  });
}
