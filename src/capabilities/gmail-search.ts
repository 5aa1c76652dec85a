/**
 * `gmail.search`: messages matching a Gmail query, newest first, one page at a time, with
 * sender, recipients, subject, date in the user's zone, snippet, labels and a link. The
 * first listing of a page costs the list, then batches of metadata gets (ten calls each,
 * Gmail's per-user concurrency limit); the profile and the time zone are asked alongside
 * the list. A repeat costs one batch: the list and the label changes since (the metadata
 * is kept per connection, labels and unread state are always current), plus one batch of
 * gets for messages not seen before.
 */
import { z } from 'zod';
import { defineCapability } from './define-capability.ts';
import { MessageSummarySchema, SUMMARY_HEADERS, toSummary } from './mail-shapes.ts';
import { resolveTimeZone } from './user-zone.ts';

export const gmailSearch = defineCapability({
  name: 'gmail.search',
  title: 'Search mail',
  description:
    'Search the user\'s Gmail with Gmail query syntax (for example "from:anna is:unread", ' +
    '"subject:invoice newer_than:7d", "has:attachment"). Returns the newest matching messages ' +
    'with sender, subject, date, snippet and a link; pass nextPageToken back as pageToken for more. ' +
    'Use gmail.read to get a message body.',
  scope: 'gmail',
  input: z.strictObject({
    query: z.string().max(500).optional().describe('Gmail search syntax; empty lists all mail'),
    pageSize: z.number().int().min(1).max(50).default(10),
    pageToken: z.string().min(1).max(500).optional(),
  }),
  output: z.object({
    messages: z.array(MessageSummarySchema),
    nextPageToken: z.string().optional(),
  }),
  async handler(ctx, input) {
    const [zone, profile, page] = await Promise.all([
      resolveTimeZone(ctx),
      ctx.google.gmail.getProfile(),
      ctx.google.gmail.listMessagesWith(
        {
          maxResults: input.pageSize,
          ...(input.query?.trim() ? { q: input.query.trim() } : {}),
          ...(input.pageToken ? { pageToken: input.pageToken } : {}),
        },
        { format: 'metadata', metadataHeaders: SUMMARY_HEADERS },
      ),
    ]);
    return {
      messages: page.messages.map((m) => toSummary(m, profile.emailAddress, zone)),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    };
  },
});
