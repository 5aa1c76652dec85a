/**
 * Gmail leaves a large body part out of `messages.get` (`body.attachmentId`, no `data`;
 * GOOGLE_BEHAVIOR 18). Before decoding, this fetches the bytes of the parts the body is
 * read from — only those, never attachments or the other half of a multipart/alternative
 * — through `messages.attachments.get`, and puts them back in the part tree. Parts larger
 * than `MAX_BODY_FETCH_BYTES` are not fetched; decoding then shows a marker instead.
 */
import type { GmailApi } from './gmail-client.ts';
import type { GmailMessage, GmailMessagePart } from './gmail-schemas.ts';
import { findBodyParts } from './mime-decode.ts';

/** The largest body part fetched separately (Gmail's own message limit is 25 MB). */
export const MAX_BODY_FETCH_BYTES = 25 * 1024 * 1024;

function copyWith(
  part: GmailMessagePart,
  filled: ReadonlyMap<GmailMessagePart, string>,
): GmailMessagePart {
  const data = filled.get(part);
  return {
    ...part,
    ...(data === undefined ? {} : { body: { ...part.body, data } }),
    ...(part.parts ? { parts: part.parts.map((child) => copyWith(child, filled)) } : {}),
  };
}

/** The message with the data of its large body parts fetched; unchanged when none lack it. */
export async function withLargeBodies(
  gmail: GmailApi,
  message: GmailMessage,
): Promise<GmailMessage> {
  const payload = message.payload;
  if (!payload) return message;
  const missing = (findBodyParts(payload)?.parts ?? []).filter(
    (part) =>
      part.body?.data === undefined &&
      part.body?.attachmentId !== undefined &&
      (part.body.size ?? 0) <= MAX_BODY_FETCH_BYTES,
  );
  if (missing.length === 0) return message;
  const fetched = await Promise.all(
    missing.map(async (part) => {
      const attachment = await gmail.getAttachment(message.id, part.body?.attachmentId ?? '');
      return [part, attachment.data] as const;
    }),
  );
  return { ...message, payload: copyWith(payload, new Map(fetched)) };
}
