/**
 * `gmail.read`: one message or a whole thread, decoded for reading: headers, text body
 * (HTML converted, long bodies trimmed at a marker), attachments listed. A body part too
 * large for Gmail to inline is fetched with `messages.attachments.get` first.
 */
import { z } from 'zod';
import { DEFAULT_MAX_CHARS, withLargeBodies } from '../google/index.ts';
import type { GmailMessage } from '../google/index.ts';
import { defineCapability } from './define-capability.ts';
import { FullMessageSchema, toFullMessage } from './mail-shapes.ts';
import { resolveTimeZone } from './user-zone.ts';

const GmailId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'not a Gmail id');

export const gmailRead = defineCapability({
  name: 'gmail.read',
  title: 'Read mail',
  description:
    'Read one email (messageId) or a whole conversation (threadId) from Gmail: sender, ' +
    'recipients, subject, date, the text body (HTML mail converted to text, very long bodies ' +
    'trimmed; raise maxChars for more) and the list of attachments. Ids come from gmail.search.',
  scope: 'gmail',
  input: z
    .strictObject({
      messageId: GmailId.optional(),
      threadId: GmailId.optional(),
      maxChars: z.number().int().min(200).max(100_000).default(DEFAULT_MAX_CHARS),
    })
    .superRefine((value, ctx) => {
      if ((value.messageId === undefined) === (value.threadId === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [value.messageId === undefined ? 'messageId' : 'threadId'],
          message: 'give exactly one of messageId or threadId',
        });
      }
    }),
  output: z.object({ messages: z.array(FullMessageSchema) }),
  async handler(ctx, input) {
    const fetchMessages = async (): Promise<GmailMessage[]> => {
      const messages = input.messageId
        ? [await ctx.google.gmail.getMessage(input.messageId, { format: 'full' })]
        : ((await ctx.google.gmail.getThread(input.threadId ?? '', { format: 'full' })).messages ??
          []);
      return Promise.all(messages.map((m) => withLargeBodies(ctx.google.gmail, m)));
    };
    const [zone, profile, messages] = await Promise.all([
      resolveTimeZone(ctx),
      ctx.google.gmail.getProfile(),
      fetchMessages(),
    ]);
    return {
      messages: messages.map((m) => toFullMessage(m, profile.emailAddress, zone, input.maxChars)),
    };
  },
});
