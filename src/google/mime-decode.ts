/**
 * A Gmail `format=full` message → what a person reads: decoded headers, one text body
 * (text/plain preferred over text/html inside multipart/alternative, HTML converted to
 * text), the list of attachments, and long bodies trimmed at a visible marker.
 */
import { parseAddressList } from './addresses.ts';
import type { Address } from './addresses.ts';
import { base64UrlToBytes, decodeBytes } from './charset.ts';
import type { GmailMessage, GmailMessagePart } from './gmail-schemas.ts';
import { htmlToText, tidyText } from './html-text.ts';
import { decodeHeaderValue } from './rfc2047.ts';

export interface AttachmentInfo {
  filename: string;
  mimeType: string;
  size: number;
  attachmentId: string | null;
}

export interface DecodedMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  /** From `internalDate` (when Gmail received it). */
  receivedAt: Date | null;
  /** Decoded headers by lower-cased name (first occurrence wins). */
  headers: Record<string, string>;
  from: Address | null;
  to: Address[];
  cc: Address[];
  subject: string;
  body: string;
  /** Which part the body came from. */
  bodySource: 'text/plain' | 'text/html' | 'none';
  /** Characters cut from the body (0 when nothing was trimmed). */
  trimmedChars: number;
  attachments: AttachmentInfo[];
}

export const DEFAULT_MAX_CHARS = 8_000;

/** Lower-cased header map with RFC 2047 words decoded. */
export function decodeHeaders(part: GmailMessagePart | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { name, value } of part?.headers ?? []) {
    const key = name.toLowerCase();
    if (!(key in headers))
      headers[key] =
        key === 'from' || key === 'to' || key === 'cc' ? value : decodeHeaderValue(value);
  }
  return headers;
}

function header(part: GmailMessagePart, name: string): string {
  return part.headers?.find((h) => h.name.toLowerCase() === name)?.value ?? '';
}

function param(headerValue: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(headerValue);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function isAttachment(part: GmailMessagePart): boolean {
  const disposition = header(part, 'content-disposition').toLowerCase();
  if (disposition.startsWith('attachment')) return true;
  return (part.filename ?? '') !== '' && !(part.mimeType ?? '').startsWith('multipart/');
}

function partText(part: GmailMessagePart): string {
  const data = part.body?.data;
  if (!data && part.body?.attachmentId !== undefined) {
    return `[… ${(part.body.size ?? 0).toLocaleString('en-US')} bytes of text not fetched]`;
  }
  if (!data) return '';
  return decodeBytes(base64UrlToBytes(data), param(header(part, 'content-type'), 'charset'));
}

type BodyKind = 'text/plain' | 'text/html';
/** The parts a body is read from, in order, and what they hold. */
export type BodyParts = { kind: BodyKind; parts: GmailMessagePart[] };

/**
 * Picks the parts of the readable body of a part tree, or null when it has none:
 * text/plain over text/html inside multipart/alternative, every plain part of a
 * multipart/mixed made only of plain parts, else the first readable part.
 */
export function findBodyParts(part: GmailMessagePart): BodyParts | null {
  const mime = (part.mimeType ?? 'text/plain').toLowerCase();
  if (isAttachment(part)) return null;
  if (mime === 'text/plain' || mime === 'text/html') return { kind: mime, parts: [part] };
  if (!mime.startsWith('multipart/')) return null;
  const bodies = (part.parts ?? [])
    .map(findBodyParts)
    .filter((body): body is BodyParts => body !== null);
  if (mime === 'multipart/alternative') {
    return (
      bodies.find((b) => b.kind === 'text/plain') ??
      bodies.find((b) => b.kind === 'text/html') ??
      null
    );
  }
  if (
    mime === 'multipart/mixed' &&
    bodies.length > 1 &&
    bodies.every((b) => b.kind === 'text/plain')
  ) {
    return { kind: 'text/plain', parts: bodies.flatMap((b) => b.parts) };
  }
  return bodies[0] ?? null;
}

type Body = { kind: BodyKind; text: string };

/** The readable body of a part tree, decoded, or null when it has none. */
export function findBody(part: GmailMessagePart): Body | null {
  const found = findBodyParts(part);
  if (!found) return null;
  return { kind: found.kind, text: found.parts.map(partText).join('\n\n') };
}

/** Every attachment in the tree, in order. */
export function listAttachments(part: GmailMessagePart | undefined): AttachmentInfo[] {
  if (!part) return [];
  const here: AttachmentInfo[] = isAttachment(part)
    ? [
        {
          filename: decodeHeaderValue(
            part.filename || param(header(part, 'content-disposition'), 'filename') || 'attachment',
          ),
          mimeType: part.mimeType ?? 'application/octet-stream',
          size: part.body?.size ?? 0,
          attachmentId: part.body?.attachmentId ?? null,
        },
      ]
    : [];
  return [...here, ...(part.parts ?? []).flatMap(listAttachments)];
}

/** Cuts text at `maxChars` with a marker saying how much is left out. */
export function trimText(text: string, maxChars: number): { text: string; trimmedChars: number } {
  if (text.length <= maxChars) return { text, trimmedChars: 0 };
  const cut = text.slice(0, maxChars).replace(/\s+\S*$/, '');
  const kept = cut.length > maxChars * 0.8 ? cut : text.slice(0, maxChars);
  const rest = text.length - kept.length;
  return {
    text: `${kept}\n[… trimmed, ${rest.toLocaleString('en-US')} more characters]`,
    trimmedChars: rest,
  };
}

/** Decodes a `format=full` message. */
export function decodeMessage(
  message: GmailMessage,
  options: { maxChars?: number } = {},
): DecodedMessage {
  const payload = message.payload ?? {};
  const headers = decodeHeaders(payload);
  const found = findBody(payload);
  const text = found
    ? tidyText(found.kind === 'text/html' ? htmlToText(found.text) : found.text)
    : '';
  const trimmed = trimText(text, options.maxChars ?? DEFAULT_MAX_CHARS);
  const internal = Number(message.internalDate);
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: message.labelIds ?? [],
    snippet: decodeEntities(message.snippet ?? ''),
    receivedAt: message.internalDate && Number.isFinite(internal) ? new Date(internal) : null,
    headers,
    from: parseAddressList(headers.from)[0] ?? null,
    to: parseAddressList(headers.to),
    cc: parseAddressList(headers.cc),
    subject: headers.subject ?? '',
    body: trimmed.text,
    bodySource: found ? found.kind : 'none',
    trimmedChars: trimmed.trimmedChars,
    attachments: listAttachments(payload),
  };
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** A numeric character reference as HTML reads it: out of range, NUL or a surrogate is U+FFFD. */
function codePoint(value: number): string {
  if (!Number.isInteger(value) || value <= 0 || value > 0x10ffff) return '\ufffd';
  if (value >= 0xd800 && value <= 0xdfff) return '\ufffd';
  return String.fromCodePoint(value);
}

/** Gmail snippets escape HTML entities; this unescapes them. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return codePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return codePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}
