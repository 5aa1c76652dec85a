/**
 * The `/v1` routes that run a capability: method, path, capability, how parameters (and a
 * JSON body) bind to its input, and the example shown in the OpenAPI document and docs
 * page. Paths use Fastify's `:param` form relative to `/v1`.
 */
import {
  actionsExtract,
  type AnyCapability,
  calendarAgenda,
  calendarFreebusy,
  calendarNext,
  gmailRead,
  gmailSearch,
  gmailUnread,
  watchCreate,
  watchList,
  watchRemove,
} from '../../capabilities/index.ts';
import type { InputBinding } from './query-input.ts';

export type RouteMethod = 'get' | 'post' | 'delete';

export interface CapabilityRoute {
  operationId: string;
  method: RouteMethod;
  path: string;
  capability: AnyCapability;
  summary: string;
  binding: InputBinding;
  /** Parameter descriptions that add to (or replace) the capability's own. */
  parameterDocs: Readonly<Record<string, string>>;
  /**
   * For a route that may make something: whether this answer made it (201) or found it
   * already there (200, `existing` describes that answer).
   */
  created?: { of(output: unknown): boolean; existing: string };
  example: {
    query: Readonly<Record<string, string>>;
    params: Readonly<Record<string, string>>;
    /** The JSON body, for a route whose binding takes one. */
    body?: Readonly<Record<string, unknown>>;
    response: unknown;
  };
}

const ALEX = { name: 'Alex Morgan', email: 'alex@example.com' };
const ANNA = { name: 'Anna Lindqvist', email: 'anna@example.org' };
const LINK = 'https://mail.google.com/mail/u/alex@example.com/#all/18f2a9c4e1b07d35';

const SUMMARY = {
  id: '18f2a9c4e1b07d35',
  threadId: '18f2a9c4e1b07d35',
  from: ANNA,
  to: [ALEX],
  subject: 'Budget review on Thursday',
  date: '2026-03-10T09:12:00+01:00',
  snippet: 'Could you send me the updated figures by Wednesday?',
  labels: ['INBOX', 'UNREAD'],
  unread: true,
  link: LINK,
};

const FULL = {
  id: SUMMARY.id,
  threadId: SUMMARY.threadId,
  from: ANNA,
  to: [ALEX],
  cc: [],
  subject: SUMMARY.subject,
  date: SUMMARY.date,
  labels: SUMMARY.labels,
  unread: true,
  link: LINK,
  body: 'Hi Alex,\n\nCould you send me the updated figures by Wednesday?\n\nAnna',
  bodySource: 'text/plain',
  attachments: [
    {
      filename: 'budget.xlsx',
      mimeType: 'application/vnd.ms-excel',
      size: 48213,
      attachmentId: 'ANGjdJ8',
    },
  ],
};

const EVENT = {
  id: '6f1c0d2e9a_20260310T090000Z',
  calendarId: 'alex@example.com',
  calendarName: 'alex@example.com',
  title: 'Team stand-up',
  start: '2026-03-10T10:00:00+01:00',
  end: '2026-03-10T10:15:00+01:00',
  allDay: false,
  multiDay: false,
  videoLink: 'https://meet.google.com/abc-defg-hij',
  myResponse: 'accepted',
  declined: false,
  recurring: true,
  link: 'https://www.google.com/calendar/event?eid=NmYxYzBkMmU5YQ',
};

const WATCH = {
  id: '3f6d2b9e-7c41-4a8e-9b1d-5e0c2a7f4d18',
  query: 'from:anna@example.org',
  connectionId: '0b6c3c52-8f3e-4c1e-9d7a-3f0f5a6c2b11',
  account: 'alex@example.com',
  createdAt: '2026-03-10T08:15:00.000Z',
  paused: null,
};

const MESSAGE_BINDING: InputBinding = {
  query: { maxChars: 'maxChars' },
  params: { id: 'messageId' },
};

export const CAPABILITY_ROUTES: readonly CapabilityRoute[] = [
  {
    operationId: 'searchMessages',
    method: 'get',
    path: '/gmail/messages',
    capability: gmailSearch,
    summary: 'Search mail',
    binding: { query: { q: 'query', pageSize: 'pageSize', pageToken: 'pageToken' }, params: {} },
    parameterDocs: { pageToken: 'nextPageToken of the previous page' },
    example: {
      query: { q: 'from:anna is:unread', pageSize: '10' },
      params: {},
      response: { messages: [SUMMARY], nextPageToken: '09231748561203' },
    },
  },
  {
    operationId: 'readMessage',
    method: 'get',
    path: '/gmail/messages/:id',
    capability: gmailRead,
    summary: 'Read one message',
    binding: MESSAGE_BINDING,
    parameterDocs: { id: 'Message id, from a search result' },
    example: { query: {}, params: { id: SUMMARY.id }, response: { messages: [FULL] } },
  },
  {
    operationId: 'readThread',
    method: 'get',
    path: '/gmail/threads/:id',
    capability: gmailRead,
    summary: 'Read a conversation',
    binding: { query: { maxChars: 'maxChars' }, params: { id: 'threadId' } },
    parameterDocs: { id: 'Thread id (threadId of a search result)' },
    example: { query: {}, params: { id: SUMMARY.threadId }, response: { messages: [FULL] } },
  },
  {
    operationId: 'unreadCounts',
    method: 'get',
    path: '/gmail/unread',
    capability: gmailUnread,
    summary: 'Unread counts',
    binding: { query: {}, params: {} },
    parameterDocs: {},
    example: {
      query: {},
      params: {},
      response: {
        inbox: { unreadMessages: 7, unreadThreads: 5 },
        labels: [{ id: 'CATEGORY_UPDATES', name: 'Updates', unread: 4 }],
      },
    },
  },
  {
    operationId: 'agenda',
    method: 'get',
    path: '/calendar/agenda',
    capability: calendarAgenda,
    summary: 'Agenda for a day or a range',
    binding: { query: { day: 'day', from: 'from', to: 'to' }, params: {} },
    parameterDocs: {
      day: 'One day, YYYY-MM-DD (instead of from/to)',
      from: "Start: ISO date or date-time; without an offset it means the user's zone",
      to: 'End: ISO date or date-time; a bare day includes that day (at most 62 days after from)',
    },
    example: {
      query: { day: '2026-03-10' },
      params: {},
      response: {
        timeZone: 'Europe/Berlin',
        from: '2026-03-10T00:00:00+01:00',
        to: '2026-03-11T00:00:00+01:00',
        events: [EVENT],
      },
    },
  },
  {
    operationId: 'freeBusy',
    method: 'get',
    path: '/calendar/freebusy',
    capability: calendarFreebusy,
    summary: 'Busy times and free slots',
    binding: {
      query: {
        from: 'from',
        to: 'to',
        at: 'at',
        minMinutes: 'minMinutes',
        workingHours: 'workingHours',
        includeWeekends: 'includeWeekends',
      },
      params: {},
    },
    parameterDocs: {
      at: 'Answer "am I free at …" for this ISO date-time',
      workingHours: 'Working hours as workingHours[start]=09:00&workingHours[end]=18:00',
    },
    example: {
      query: { from: '2026-03-10', to: '2026-03-10', minMinutes: '30' },
      params: {},
      response: {
        timeZone: 'Europe/Berlin',
        from: '2026-03-10T00:00:00+01:00',
        to: '2026-03-11T00:00:00+01:00',
        busy: [{ start: '2026-03-10T10:00:00+01:00', end: '2026-03-10T10:15:00+01:00' }],
        freeSlots: [
          { start: '2026-03-10T09:00:00+01:00', end: '2026-03-10T10:00:00+01:00' },
          { start: '2026-03-10T10:15:00+01:00', end: '2026-03-10T18:00:00+01:00' },
        ],
      },
    },
  },
  {
    operationId: 'nextEvent',
    method: 'get',
    path: '/calendar/next',
    capability: calendarNext,
    summary: 'Next event',
    binding: { query: {}, params: {} },
    parameterDocs: {},
    example: {
      query: {},
      params: {},
      response: {
        timeZone: 'Europe/Berlin',
        event: { ...EVENT, startsInMinutes: 135, startsIn: 'in 2 h 15 min' },
      },
    },
  },
  {
    operationId: 'actionItems',
    method: 'get',
    path: '/actions',
    capability: actionsExtract,
    summary: 'Action items from recent mail',
    binding: { query: { days: 'days', limit: 'limit' }, params: {} },
    parameterDocs: { days: 'How many days of mail to look at' },
    example: {
      query: { days: '7' },
      params: {},
      response: {
        timeZone: 'Europe/Berlin',
        actions: [
          {
            messageId: SUMMARY.id,
            from: ANNA,
            subject: SUMMARY.subject,
            date: SUMMARY.date,
            ask: 'Could you send me the updated figures by Wednesday?',
            due: '2026-03-11T23:59:00+01:00',
            dueText: 'by Wednesday',
            why: '"can/could you …"; deadline "by Wednesday"',
            link: LINK,
          },
        ],
      },
    },
  },
  {
    operationId: 'createWatch',
    method: 'post',
    path: '/watches',
    capability: watchCreate,
    summary: 'Alert on new mail',
    binding: { query: {}, params: {}, body: { query: 'query' } },
    parameterDocs: {},
    created: {
      of: (output) => (output as { created?: unknown }).created === true,
      existing: 'The same query already had a rule on this account: that rule, unchanged',
    },
    example: {
      query: {},
      params: {},
      body: { query: WATCH.query },
      response: { watch: WATCH, created: true },
    },
  },
  {
    operationId: 'listWatches',
    method: 'get',
    path: '/watches',
    capability: watchList,
    summary: 'New-mail alerts',
    binding: { query: {}, params: {} },
    parameterDocs: {},
    example: { query: {}, params: {}, response: { watches: [WATCH], limit: 20 } },
  },
  {
    operationId: 'removeWatch',
    method: 'delete',
    path: '/watches/:id',
    capability: watchRemove,
    summary: 'Stop a new-mail alert',
    binding: { query: {}, params: { id: 'id' } },
    parameterDocs: { id: 'Watch id, from the list of watches' },
    example: { query: {}, params: { id: WATCH.id }, response: { removed: WATCH } },
  },
];
