/**
 * The mail shapes capabilities return (zod schemas + mapping from Gmail messages), shared
 * by `gmail.search`, `gmail.read` and `actions.extract`.
 */
import { z } from 'zod';
import { decodeEntities, decodeHeaders, decodeMessage, parseAddressList } from '../google/index.ts';
import type { GmailMessage } from '../google/index.ts';
import { isoInZone } from './user-zone.ts';

export const AddressSchema = z.object({ name: z.string().nullable(), email: z.string() });
export type AddressOut = z.infer<typeof AddressSchema>;

export const MessageSummarySchema = z.object({
  id: z.string(),
  threadId: z.string(),
  from: AddressSchema.nullable(),
  to: z.array(AddressSchema),
  subject: z.string(),
  date: z.string().nullable().describe('ISO 8601 in the user zone'),
  snippet: z.string(),
  labels: z.array(z.string()),
  unread: z.boolean(),
  link: z.string(),
});
export type MessageSummary = z.infer<typeof MessageSummarySchema>;

export const AttachmentSchema = z.object({
  filename: z.string(),
  mimeType: z.string(),
  size: z.number(),
  attachmentId: z.string().nullable(),
});

export const FullMessageSchema = MessageSummarySchema.omit({ snippet: true }).extend({
  cc: z.array(AddressSchema),
  body: z.string(),
  bodySource: z.enum(['text/plain', 'text/html', 'none']),
  attachments: z.array(AttachmentSchema),
});
export type FullMessage = z.infer<typeof FullMessageSchema>;

export const SUMMARY_HEADERS = ['From', 'To', 'Subject', 'Date'] as const;

/**
 * Reply and forward markers that mail programs put before a subject, in the languages
 * they are most often met in: Re, Fwd, Fw (English), Aw, Wg (German), Sv, Vs (Nordic),
 * Antw, Doorst (Dutch), Tr, Réf (French), Rif (Italian), Res, Enc (Portuguese), Odp, Pd
 * (Polish), Ynt (Turkish), 回复, 转发, 答复 (Chinese); with an optional count ("Re[2]:").
 */
const SUBJECT_PREFIX =
  /^\s*(?:re|fwd?|fw|aw|wg|sv|vs|antw|doorst|tr|réf|rif|res|enc|odp|pd|ynt|回复|回覆|转发|轉寄|答复)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/iu;

/** A subject without its "Re:", "Fwd:", "AW:"… prefixes, however many: "Re: RE: Fwd: Dinner" → "Dinner". */
export function normaliseSubject(subject: string): string {
  let rest = subject.trim();
  for (let m = SUBJECT_PREFIX.exec(rest); m; m = SUBJECT_PREFIX.exec(rest)) {
    rest = rest.slice(m[0].length);
  }
  return rest;
}

export function messageLink(mailbox: string, id: string): string {
  return `https://mail.google.com/mail/u/${mailbox.replace(/[/#?\s]/g, '')}/#all/${id}`;
}

/** The date a message is shown with: Gmail's internal date, else the Date header. */
export function messageDate(
  message: GmailMessage,
  dateHeader: string | undefined,
  zone: string,
): string | null {
  const internal = Number(message.internalDate);
  if (message.internalDate && Number.isFinite(internal)) return isoInZone(internal, zone);
  const parsed = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  return Number.isNaN(parsed) ? null : isoInZone(parsed, zone);
}

export function toSummary(message: GmailMessage, mailbox: string, zone: string): MessageSummary {
  const headers = decodeHeaders(message.payload);
  const labels = message.labelIds ?? [];
  return {
    id: message.id,
    threadId: message.threadId,
    from: parseAddressList(headers.from)[0] ?? null,
    to: parseAddressList(headers.to),
    subject: headers.subject ?? '',
    date: messageDate(message, headers.date, zone),
    snippet: decodeEntities(message.snippet ?? ''),
    labels,
    unread: labels.includes('UNREAD'),
    link: messageLink(mailbox, message.id),
  };
}

export function toFullMessage(
  message: GmailMessage,
  mailbox: string,
  zone: string,
  maxChars: number,
): FullMessage {
  const decoded = decodeMessage(message, { maxChars });
  return {
    id: decoded.id,
    threadId: decoded.threadId,
    from: decoded.from,
    to: decoded.to,
    cc: decoded.cc,
    subject: decoded.subject,
    date: messageDate(message, decoded.headers.date, zone),
    labels: decoded.labelIds,
    unread: decoded.labelIds.includes('UNREAD'),
    link: messageLink(mailbox, decoded.id),
    body: decoded.body,
    bodySource: decoded.bodySource,
    attachments: decoded.attachments,
  };
}
