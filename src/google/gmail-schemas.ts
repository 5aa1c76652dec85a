/**
 * zod schemas of the Gmail v1 answers Tidings reads. Lenient: unknown fields are dropped,
 * optional ones stay optional, so a new Google field never breaks a read.
 */
import { z } from 'zod';

export const GmailHeaderSchema = z.object({ name: z.string(), value: z.string() });

export const GmailPartBodySchema = z.object({
  size: z.number().optional(),
  data: z.string().optional(),
  attachmentId: z.string().optional(),
});

export interface GmailMessagePart {
  partId?: string | undefined;
  mimeType?: string | undefined;
  filename?: string | undefined;
  headers?: { name: string; value: string }[] | undefined;
  body?: z.infer<typeof GmailPartBodySchema> | undefined;
  parts?: GmailMessagePart[] | undefined;
}

export const GmailMessagePartSchema: z.ZodType<GmailMessagePart> = z.lazy(() =>
  z.object({
    partId: z.string().optional(),
    mimeType: z.string().optional(),
    filename: z.string().optional(),
    headers: z.array(GmailHeaderSchema).optional(),
    body: GmailPartBodySchema.optional(),
    parts: z.array(GmailMessagePartSchema).optional(),
  }),
);

export const GmailMessageSchema = z.object({
  id: z.string(),
  threadId: z.string(),
  labelIds: z.array(z.string()).optional(),
  snippet: z.string().optional(),
  historyId: z.string().optional(),
  internalDate: z.string().optional(),
  sizeEstimate: z.number().optional(),
  payload: GmailMessagePartSchema.optional(),
});
export type GmailMessage = z.infer<typeof GmailMessageSchema>;

export const GmailMessageListSchema = z.object({
  messages: z.array(z.object({ id: z.string(), threadId: z.string() })).optional(),
  nextPageToken: z.string().optional(),
  resultSizeEstimate: z.number().optional(),
});
export type GmailMessageList = z.infer<typeof GmailMessageListSchema>;

export const GmailThreadSchema = z.object({
  id: z.string(),
  historyId: z.string().optional(),
  messages: z.array(GmailMessageSchema).optional(),
});
export type GmailThread = z.infer<typeof GmailThreadSchema>;

export const GmailLabelSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string().optional(),
  messagesTotal: z.number().optional(),
  messagesUnread: z.number().optional(),
  threadsTotal: z.number().optional(),
  threadsUnread: z.number().optional(),
});
export type GmailLabel = z.infer<typeof GmailLabelSchema>;

export const GmailLabelListSchema = z.object({ labels: z.array(GmailLabelSchema).optional() });

export const GmailProfileSchema = z.object({
  emailAddress: z.string(),
  messagesTotal: z.number().optional(),
  threadsTotal: z.number().optional(),
  historyId: z.string().optional(),
});
export type GmailProfile = z.infer<typeof GmailProfileSchema>;

export const GmailAttachmentSchema = z.object({
  size: z.number().optional(),
  data: z.string(),
});
export type GmailAttachment = z.infer<typeof GmailAttachmentSchema>;

/** A `history.list` page of new mail: the messages added, with their labels at the time. */
export const GmailAddedHistorySchema = z.object({
  history: z
    .array(
      z.object({
        id: z.string(),
        messagesAdded: z
          .array(
            z.object({
              message: z.object({
                id: z.string(),
                threadId: z.string().optional(),
                labelIds: z.array(z.string()).optional(),
              }),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  nextPageToken: z.string().optional(),
  historyId: z.string(),
});
export type GmailAddedHistory = z.infer<typeof GmailAddedHistorySchema>;
