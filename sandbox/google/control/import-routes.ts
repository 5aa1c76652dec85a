/**
 * The control routes that put data into a user's API stores: a message into Gmail
 * (`POST /__sandbox/users/{email}/messages?labelIds=…`), either raw RFC 822
 * (`Content-Type: message/rfc822`) or written from JSON `{from, subject, text?, to?,
 * labelIds?}` (sent now, on the sandbox clock); without label ids it gets the ones Gmail
 * gives on arrival (`INBOX,UNREAD`; `SENT` for the owner's own mail). iCalendar text goes
 * into Calendar (`POST /__sandbox/users/{email}/events?calendarId=…`, default `primary`).
 * Bodies up to 25 MiB; a body the store cannot read is a 400.
 * `POST /__sandbox/users/{email}/messages/{id}/modify` with `{addLabelIds,
 * removeLabelIds}` changes a message's labels as Gmail's `messages.modify` would (read,
 * unread, starred, archived…), with its history record.
 * `POST /__sandbox/users/{email}/history/expire` forgets the mailbox's history so far, so a
 * client's older `startHistoryId` answers 404 (`{historyId}`: the oldest one still good).
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxState } from '../sandbox-state.ts';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { invalid, knownUser, notFound, parse } from './control-body.ts';

/** Changes a message's labels as `messages.modify` does; undefined for an unknown message. */
export type ModifyLabels = (
  email: string,
  id: string,
  add: readonly string[],
  remove: readonly string[],
) => { id: string; labelIds: string[] } | undefined;

export interface ImportRouteDeps {
  state: SandboxState;
  now(): Date;
  /** Without label ids, the store gives the message the labels Gmail would on arrival. */
  importMessage(email: string, raw: Buffer, labelIds?: string[]): { id: string; threadId: string };
  importIcs(email: string, ics: string, calendarId: string): { ids: string[] };
  /** Absent when the mail store cannot change labels. */
  modifyLabels?: ModifyLabels;
  /** Absent (or undefined) when the mail store keeps no history. */
  expireHistory?(email: string): { historyId: number } | undefined;
}

/** `addr@host` or `Display Name <addr@host>`: one line, no control characters, quotes or backslashes. */
const MAILBOX =
  /^(?:([^"\\<>\p{Cc}]{1,200}?)\s*<([^\s<>@"\\\p{Cc}]+@[^\s<>@"\\\p{Cc}]+)>|([^\s<>@"\\\p{Cc}]+@[^\s<>@"\\\p{Cc}]+))$/u;
const mailbox = z.string().trim().max(320).regex(MAILBOX, 'an address, or Name <address>');
const labelId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a label id');

const MailBody = z.strictObject({
  from: mailbox,
  to: mailbox.optional(),
  subject: z
    .string()
    .max(998)
    .regex(/^[^\p{Cc}]*$/u, 'one line, without control characters'),
  text: z
    .string()
    .max(1024 * 1024)
    .default(''),
  labelIds: z.array(labelId).max(20).optional(),
});

const needsEncoding = (text: string) => /[^\x20-\x7e]/.test(text);
const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

function headerMailbox(value: string): string {
  const match = MAILBOX.exec(value.trim());
  const name = match?.[1]?.trim();
  const address = match?.[2] ?? match?.[3] ?? value.trim();
  if (!name) return address;
  return `${needsEncoding(name) ? encodedWord(name) : `"${name}"`} <${address}>`;
}

/** An RFC 822 message for the JSON form: plain UTF-8 text, base64, dated now. */
function writeMessage(mail: z.infer<typeof MailBody>, owner: string, now: Date): Buffer {
  const body = Buffer.from(mail.text.replace(/\r?\n/g, '\r\n'))
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  const lines = [
    `From: ${headerMailbox(mail.from)}`,
    `To: ${headerMailbox(mail.to ?? owner)}`,
    `Subject: ${needsEncoding(mail.subject) ? encodedWord(mail.subject) : mail.subject}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@sandbox.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ];
  return Buffer.from(lines.join('\r\n'));
}

function isPlainObject(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && !Array.isArray(value)
  );
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(?:;|$)/i.test(contentType ?? '');
}

const ModifyBody = z.strictObject({
  addLabelIds: z.array(z.string().min(1)).default([]),
  removeLabelIds: z.array(z.string().min(1)).default([]),
});

const importOptions = { bodyLimit: 25 * 1024 * 1024 };

function queryValue(query: unknown, name: string): string | undefined {
  const value: unknown = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function registerImportRoutes(app: FastifyInstance, deps: ImportRouteDeps): void {
  const { state } = deps;

  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/messages',
    importOptions,
    async (request, reply) => {
      const user = knownUser(state.users, request.params.email, reply);
      if (!user) return reply;
      const inQuery = queryValue(request.query, 'labelIds')
        ?.split(',')
        .map((label) => label.trim())
        .filter((label) => label !== '');
      let raw: Buffer;
      let labelIds = inQuery;
      if (Buffer.isBuffer(request.body)) {
        raw = request.body;
      } else if (isJson(request.headers['content-type']) && isPlainObject(request.body)) {
        const mail = parse(MailBody, request.body, reply);
        if (!mail) return reply;
        raw = writeMessage(mail, user.email, deps.now());
        labelIds = mail.labelIds ?? inQuery;
      } else {
        return invalid(
          reply,
          'Send the message as Content-Type: message/rfc822, or as JSON {from, subject, text}.',
        );
      }
      try {
        return reply.code(201).send(deps.importMessage(user.email, raw, labelIds));
      } catch (error) {
        return invalid(reply, `The message could not be imported: ${(error as Error).message}`);
      }
    },
  );

  app.post<{ Params: { email: string; id: string } }>(
    '/__sandbox/users/:email/messages/:id/modify',
    async (request, reply) => {
      const user = knownUser(state.users, request.params.email, reply);
      if (!user) return reply;
      const body = parse(ModifyBody, request.body, reply);
      if (!body) return reply;
      const modified = deps.modifyLabels?.(
        user.email,
        request.params.id,
        body.addLabelIds,
        body.removeLabelIds,
      );
      if (!modified) return notFound(reply, `No such message: ${request.params.id}`);
      return modified;
    },
  );

  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/history/expire',
    async (request, reply) => {
      const user = knownUser(state.users, request.params.email, reply);
      if (!user) return reply;
      const expired = deps.expireHistory?.(user.email);
      if (!expired) return notFound(reply, 'This mail store keeps no history.');
      return { historyId: String(expired.historyId) };
    },
  );

  app.post<{ Params: { email: string } }>(
    '/__sandbox/users/:email/events',
    importOptions,
    async (request, reply) => {
      const user = knownUser(state.users, request.params.email, reply);
      if (!user) return reply;
      if (typeof request.body !== 'string')
        return invalid(reply, 'Send the events as Content-Type: text/calendar.');
      const calendarId = queryValue(request.query, 'calendarId') ?? 'primary';
      try {
        return reply.code(201).send(deps.importIcs(user.email, request.body, calendarId));
      } catch (error) {
        return invalid(reply, `The events could not be imported: ${(error as Error).message}`);
      }
    },
  );
}
