/**
 * The control routes that put data into a user's API stores: a raw RFC 822 message into
 * Gmail (`POST /__sandbox/users/{email}/messages?labelIds=…`, default `INBOX,UNREAD`) and
 * iCalendar text into Calendar (`POST /__sandbox/users/{email}/events?calendarId=…`,
 * default `primary`). Bodies up to 25 MiB; a body the store cannot read is a 400.
 * `POST /__sandbox/users/{email}/messages/{id}/modify` with `{addLabelIds,
 * removeLabelIds}` changes a message's labels as Gmail's `messages.modify` would (read,
 * unread, starred, archived…), with its history record.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxState } from '../sandbox-state.ts';
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
  importMessage(email: string, raw: Buffer, labelIds: string[]): { id: string; threadId: string };
  importIcs(email: string, ics: string, calendarId: string): { ids: string[] };
  /** Absent when the mail store cannot change labels. */
  modifyLabels?: ModifyLabels;
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
      if (!Buffer.isBuffer(request.body))
        return invalid(reply, 'Send the message as Content-Type: message/rfc822.');
      const labelIds = (queryValue(request.query, 'labelIds') ?? 'INBOX,UNREAD')
        .split(',')
        .map((label) => label.trim())
        .filter((label) => label !== '');
      try {
        return reply.code(201).send(deps.importMessage(user.email, request.body, labelIds));
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
