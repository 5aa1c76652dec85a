/**
 * A corpus mail as an RFC 822 message the Google sandbox imports: UTF-8 headers as
 * encoded words (RFC 2047), bodies in base64, `multipart/alternative` when the mail has
 * both a text and an HTML part, the date shifted by whole days and the recipient
 * readdressed.
 */
import { DateTime } from 'luxon';
import type { CorpusMail } from './types.ts';
import { CORPUS_RECIPIENT } from './types.ts';

const CRLF = '\r\n';

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** RFC 2047 encoded words of at most 45 bytes each, folded onto continuation lines. */
export function encodeWords(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(`${CRLF} `);
}

/** `Name <address>` with the name quoted or encoded as it needs. */
export function formatAddress(value: string): string {
  const match = /^(.*?)\s*<([^>]+)>$/.exec(value.trim());
  if (!match) return value.trim();
  const [, name = '', address = ''] = match;
  if (!name) return `<${address}>`;
  if (!isAscii(name)) return `${encodeWords(name)} <${address}>`;
  const quoted = /[()<>@,;:\\".[\]]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
  return `${quoted} <${address}>`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);
}

function part(type: 'plain' | 'html', body: string): string {
  return [
    `Content-Type: text/${type}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(body),
  ].join(CRLF);
}

export interface MessageOptions {
  /** The mailbox the message is delivered to (replaces the corpus recipient). */
  mailbox: string;
  /** Whole days added to the date. */
  shiftDays: number;
  /** The date of a mail that has none. */
  now: Date;
  /** A unique id for `Message-ID` and the MIME boundary. */
  id: string;
}

/** The value with the corpus recipient replaced by `mailbox`. */
export function readdress(value: string, mailbox: string): string {
  return value.split(CORPUS_RECIPIENT).join(mailbox);
}

/** The `To:` value: as written for the corpus recipient, else the bare mailbox address. */
function recipient(to: string, mailbox: string): string {
  return to.includes(CORPUS_RECIPIENT) && mailbox !== CORPUS_RECIPIENT ? mailbox : to;
}

function dateHeader(mail: CorpusMail, options: MessageOptions): string {
  const date = mail.date
    ? DateTime.fromISO(mail.date, { setZone: true }).plus({ days: options.shiftDays })
    : DateTime.fromJSDate(options.now, { zone: 'utc' });
  return date.toRFC2822() ?? '';
}

function body(mail: CorpusMail, boundary: string): string[] {
  if (mail.text !== undefined && mail.html !== undefined) {
    return [
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      part('plain', mail.text),
      `--${boundary}`,
      part('html', mail.html),
      `--${boundary}--`,
      '',
    ];
  }
  const [type, text] =
    mail.html !== undefined
      ? (['html', mail.html] as const)
      : (['plain', mail.text ?? ''] as const);
  return [part(type, text), ''];
}

/** The whole message, CRLF line ends. */
export function rawMessage(mail: CorpusMail, options: MessageOptions): string {
  return [
    `From: ${formatAddress(mail.from)}`,
    `To: ${formatAddress(recipient(mail.to, options.mailbox))}`,
    `Subject: ${encodeWords(mail.subject)}`,
    `Date: ${dateHeader(mail, options)}`,
    `Message-ID: <${options.id}@corpus.tidings.test>`,
    'MIME-Version: 1.0',
    ...body(mail, `=_corpus_${options.id}`),
  ].join(CRLF);
}
