/**
 * `gmail.unread`: unread counts from label metadata alone (no message listing): the inbox,
 * then every user label and inbox category that has unread mail.
 */
import { z } from 'zod';
import { mapLimited } from '../google/index.ts';
import { defineCapability } from './define-capability.ts';

const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  CATEGORY_PERSONAL: 'Primary',
  CATEGORY_SOCIAL: 'Social',
  CATEGORY_PROMOTIONS: 'Promotions',
  CATEGORY_UPDATES: 'Updates',
  CATEGORY_FORUMS: 'Forums',
};

export const gmailUnread = defineCapability({
  name: 'gmail.unread',
  title: 'Unread mail counts',
  description:
    'How much unread mail the user has: unread messages and conversations in the inbox, and ' +
    'the unread count of each label and inbox category (Social, Promotions, Updates…) that has any.',
  scope: 'gmail',
  input: z.strictObject({}),
  output: z.object({
    inbox: z.object({ unreadMessages: z.number(), unreadThreads: z.number() }),
    labels: z.array(z.object({ id: z.string(), name: z.string(), unread: z.number() })),
  }),
  async handler(ctx) {
    const labels = await ctx.google.gmail.listLabels();
    const wanted = labels.filter((l) => l.type === 'user' || l.id in CATEGORY_NAMES);
    const [inbox, details] = await Promise.all([
      ctx.google.gmail.getLabel('INBOX'),
      mapLimited(wanted, 10, (l) => ctx.google.gmail.getLabel(l.id)),
    ]);
    return {
      inbox: { unreadMessages: inbox.messagesUnread ?? 0, unreadThreads: inbox.threadsUnread ?? 0 },
      labels: details
        .filter((l) => (l.messagesUnread ?? 0) > 0)
        .map((l) => ({
          id: l.id,
          name: CATEGORY_NAMES[l.id] ?? l.name,
          unread: l.messagesUnread ?? 0,
        }))
        .sort((a, b) => b.unread - a.unread || a.name.localeCompare(b.name)),
    };
  },
});
