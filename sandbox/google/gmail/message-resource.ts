/**
 * Renders stored messages as Gmail API v1 `Message` resources in the four formats
 * (minimal, metadata, full, raw), including the `payload` part tree with partIds, bodies
 * as base64url of the transfer-decoded bytes, and `attachmentId`s for attachments and
 * large non-text parts.
 */
import type { MimeHeader } from './mime-headers.ts';
import type { MimePart } from './mime-parser.ts';
import { isAttachment } from './message-text.ts';
import type { StoredMessage } from './store.ts';

export const MESSAGE_FORMATS = ['minimal', 'metadata', 'full', 'raw'] as const;
export type MessageFormat = (typeof MESSAGE_FORMATS)[number];

export interface PartBody {
  size: number;
  data?: string;
  attachmentId?: string;
}

export interface PayloadPart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: MimeHeader[];
  body: PartBody;
  parts?: PayloadPart[];
}

/** Inline limit for parts that are not body text. */
const INLINE_LIMIT = 4096;
/** Text bodies above this size are served through attachments.get too. */
const TEXT_INLINE_LIMIT = 2 * 1024 * 1024;

/** A stable attachment id naming the message and the part. */
export function attachmentIdFor(messageId: string, partId: string): string {
  const token = Buffer.from(`${messageId}:${partId}`).toString('base64url');
  return `ANGjdJ${token}`;
}

/** The part an attachment id points at, or undefined. */
export function findAttachment(message: StoredMessage, attachmentId: string): MimePart | undefined {
  if (!attachmentId.startsWith('ANGjdJ')) return undefined;
  const decoded = Buffer.from(attachmentId.slice(6), 'base64url').toString('utf8');
  const [messageId, partId] = decoded.split(':');
  if (messageId !== message.id || partId === undefined) return undefined;
  let part: MimePart | undefined = message.root;
  for (const index of partId === '' ? [] : partId.split('.')) {
    part = part?.parts[Number(index)];
  }
  return part;
}

function needsAttachmentId(part: MimePart): boolean {
  if (isAttachment(part)) return true;
  const limit = part.mimeType.startsWith('text/') ? TEXT_INLINE_LIMIT : INLINE_LIMIT;
  return part.body.length > limit;
}

function payloadPart(message: StoredMessage, part: MimePart, partId: string): PayloadPart {
  const headers = part.headers.map((header) => ({ ...header }));
  const base = { partId, mimeType: part.mimeType, filename: part.filename, headers };
  if (part.parts.length > 0 || part.mimeType.startsWith('multipart/')) {
    const prefix = partId === '' ? '' : `${partId}.`;
    const parts = part.parts.map((child, index) =>
      payloadPart(message, child, `${prefix}${index}`),
    );
    return { ...base, body: { size: 0 }, ...(parts.length > 0 ? { parts } : {}) };
  }
  const size = part.body.length;
  if (size === 0) return { ...base, body: { size: 0 } };
  if (needsAttachmentId(part)) {
    return { ...base, body: { attachmentId: attachmentIdFor(message.id, partId), size } };
  }
  return { ...base, body: { size, data: part.body.toString('base64url') } };
}

export function fullPayload(message: StoredMessage): PayloadPart {
  return payloadPart(message, message.root, '');
}

function pickHeaders(headers: readonly MimeHeader[], only: readonly string[]): MimeHeader[] {
  if (only.length === 0) return headers.map((header) => ({ ...header }));
  const wanted = new Set(only.map((name) => name.toLowerCase()));
  return headers.filter((h) => wanted.has(h.name.toLowerCase())).map((h) => ({ ...h }));
}

export interface MessageResource {
  id: string;
  threadId: string;
  labelIds?: string[];
  snippet: string;
  payload?: PayloadPart | { mimeType: string; headers: MimeHeader[] };
  raw?: string;
  sizeEstimate: number;
  historyId: string;
  internalDate: string;
}

/** The message in the requested format, fields in the order Gmail sends them. */
export function messageResource(
  message: StoredMessage,
  format: MessageFormat,
  metadataHeaders: readonly string[] = [],
): MessageResource {
  const head = {
    id: message.id,
    threadId: message.threadId,
    ...(message.labelIds.length > 0 ? { labelIds: [...message.labelIds] } : {}),
    snippet: message.snippet,
  };
  const tail = {
    sizeEstimate: message.raw.length,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate),
  };
  switch (format) {
    case 'minimal':
      return { ...head, ...tail };
    case 'metadata': {
      const headers = pickHeaders(message.root.headers, metadataHeaders);
      return { ...head, payload: { mimeType: message.root.mimeType, headers }, ...tail };
    }
    case 'full':
      return { ...head, payload: fullPayload(message), ...tail };
    case 'raw':
      return {
        ...head,
        sizeEstimate: tail.sizeEstimate,
        raw: message.raw.toString('base64url'),
        historyId: tail.historyId,
        internalDate: tail.internalDate,
      };
    default: {
      const unreachable: never = format;
      return unreachable;
    }
  }
}
