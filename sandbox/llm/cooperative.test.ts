import { describe, expect, it } from 'vitest';
import { toolText } from '../../src/agent-tools/tool-text.ts';
import { toolCatalogue } from '../../src/front-door/tool-catalogue.ts';
import { cooperativeStep, summarise } from './cooperative.ts';
import { planFor } from './cooperative-plan.ts';
import { namedRange, todayFrom } from './day-range.ts';
import { schemaProblems } from './json-schema-check.ts';
import { mailQueryFor } from './mail-query.ts';
import type { ToolSpec } from './types.ts';

const CATALOGUE = new Map<string, ToolSpec>(
  toolCatalogue().map((t) => [
    t.name,
    {
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.inputSchema },
    },
  ]),
);
/** Wednesday 4 March 2026 in Paris. */
const TODAY = todayFrom(
  'Today is 2026-03-04T10:15:00+01:00, zone Europe/Paris.',
  () => new Date(0),
);

describe('planFor with the Tidings tool catalogue', () => {
  it.each<[string, string, Record<string, unknown>, boolean]>([
    ['When is my next meeting?', 'calendar_next', {}, false],
    [
      'Am I free tomorrow afternoon?',
      'calendar_freebusy',
      { from: '2026-03-05T00:00:00+01:00', to: '2026-03-06T00:00:00+01:00' },
      false,
    ],
    ['What do I need to reply to?', 'actions_extract', {}, false],
    ['Any unread mail?', 'gmail_unread', {}, false],
    ['Any unread mail from Priya?', 'gmail_search', { query: 'from:Priya is:unread' }, false],
    [
      "What's on my calendar on Friday?",
      'calendar_agenda',
      { from: '2026-03-06T00:00:00+01:00', to: '2026-03-07T00:00:00+01:00' },
      false,
    ],
    [
      'Is there anything I should know before the offsite?',
      'calendar_agenda',
      { from: '2026-03-04T00:00:00+01:00', to: '2026-03-11T00:00:00+01:00' },
      false,
    ],
    ['What did Alice say about the invoice?', 'gmail_search', { query: 'Alice invoice' }, true],
    [
      'Show me mail from alice@northwind.example',
      'gmail_search',
      { query: 'from:alice@northwind.example' },
      false,
    ],
    [
      'What does the "quarterly report" say?',
      'gmail_search',
      { query: '"quarterly report"' },
      true,
    ],
    ['How full is my Kestrel storage?', 'gmail_search', { query: 'Kestrel' }, true],
  ])('%s → %s', (question, name, args, thenRead) => {
    const plan = planFor(question, CATALOGUE, TODAY);
    const schema = CATALOGUE.get(name)?.function.parameters ?? {};
    expect([plan, schemaProblems(schema, plan?.first.args)]).toStrictEqual([
      { first: { name, args }, thenRead },
      [],
    ]);
  });

  it('calls only tools the request offers', () => {
    const only = new Map([...CATALOGUE].filter(([name]) => name === 'gmail_search'));
    expect([
      planFor('When is my next meeting?', only, TODAY),
      planFor('Any unread mail?', only, TODAY),
    ]).toStrictEqual([
      null,
      { first: { name: 'gmail_search', args: { query: 'is:unread' } }, thenRead: false },
    ]);
  });

  it('says so when no offered tool fits', () => {
    const reply = cooperativeStep(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'When is my next meeting?' }],
        tools: [CATALOGUE.get('gmail_unread') as ToolSpec],
      },
      () => new Date(0),
    );
    expect(reply).toStrictEqual({
      kind: 'text',
      text: 'I cannot look that up with the tools I have.',
    });
  });
});

describe('days named in a question', () => {
  it.each<[string, string | null]>([
    ['today', '2026-03-04'],
    ['tomorrow', '2026-03-05'],
    ['yesterday', '2026-03-03'],
    ['the day after tomorrow', '2026-03-06'],
    ['on Wednesday', '2026-03-04'],
    ['on Monday', '2026-03-09'],
    ['next Friday', '2026-03-13'],
    ['on 2026-04-01', '2026-04-01'],
    ['this weekend', '2026-03-07'],
    ['the offsite', null],
  ])('%s starts on %s', (phrase, day) => {
    expect(namedRange(phrase, TODAY)?.from.slice(0, 10) ?? null).toBe(day);
  });

  it('takes this week from today and next week from Monday to Monday', () => {
    expect([namedRange('this week', TODAY), namedRange('next week', TODAY)]).toStrictEqual([
      { from: '2026-03-04T00:00:00+01:00', to: '2026-03-09T00:00:00+01:00' },
      { from: '2026-03-09T00:00:00+01:00', to: '2026-03-16T00:00:00+01:00' },
    ]);
  });

  it('falls back to the clock in UTC when the system message names no date', () => {
    const today = todayFrom('You are a helpful assistant.', () => new Date('2026-07-01T23:30:00Z'));
    expect([today.zone, today.date.toISODate()]).toStrictEqual(['UTC', '2026-07-01']);
  });
});

describe('mailQueryFor', () => {
  it.each([
    ['What did Hana Ito write on the Q3 invoice?', 'Hana Ito Q3 invoice'],
    [
      'Any new mail from sam@example.com regarding the lease?',
      'from:sam@example.com is:unread lease',
    ],
    ['Mail from Alice Chen', 'from:"Alice Chen"'],
    ["How did my workspace numbers look in Loop's report?", 'Loop'],
    ['anything on the harbour project', 'harbour project'],
  ])('%s → %s', (question, query) => {
    expect(mailQueryFor(question)).toBe(query);
  });
});

describe('summarise', () => {
  const options = { fence: 'f00d', now: new Date('2026-03-04T09:00:00Z') };
  const exchange = (name: string, result: string) => ({ id: 'c', name, args: {}, result });

  it('names the senders and subjects of a search', () => {
    const result = toolText(
      'gmail.search',
      {
        messages: [
          {
            id: 'a',
            threadId: 'a',
            from: { name: 'Alice Chen', email: 'a@x.example' },
            subject: 'Invoice',
            date: null,
            snippet: '',
            unread: false,
          },
          {
            id: 'b',
            threadId: 'b',
            from: { name: null, email: 'b@x.example' },
            subject: 'Re: Invoice',
            date: null,
            snippet: '',
            unread: true,
          },
        ],
      },
      options,
    );
    expect(summarise([exchange('gmail_search', result)])).toBe(
      'I found 2 messages: “Invoice” from Alice Chen; “Re: Invoice” from b@x.example.',
    );
  });

  it('counts the events of an agenda and leaves out a search once a message was read', () => {
    const agenda = toolText(
      'calendar.agenda',
      {
        from: '2026-03-04T00:00:00+01:00',
        to: '2026-03-05T00:00:00+01:00',
        timeZone: 'Europe/Paris',
        events: [
          {
            title: 'Stand-up',
            start: '2026-03-04T09:30:00+01:00',
            end: '2026-03-04T09:45:00+01:00',
            allDay: false,
          },
        ],
      },
      options,
    );
    const read = toolText(
      'gmail.read',
      {
        messages: [
          {
            id: 'a',
            threadId: 'a',
            from: { name: 'Alice Chen', email: 'a@x.example' },
            to: [],
            cc: [],
            subject: 'Invoice',
            date: null,
            unread: false,
            body: 'The invoice is paid. Thanks!',
            attachments: [],
          },
        ],
      },
      options,
    );
    expect(
      summarise([
        exchange('calendar_agenda', agenda),
        exchange('gmail_search', 'ignored'),
        exchange('gmail_read', read),
      ]),
    ).toBe(
      'You have 1 event: Wed 4 Mar 09:30–09:45 · Stand-up.\n“Invoice” from Alice Chen: The invoice is paid.',
    );
  });

  it('says which tool failed', () => {
    expect(
      summarise([
        exchange('gmail_read', 'Error not_found: no such message\nUse ids from a search.'),
      ]),
    ).toBe('I could not use gmail_read: Error not_found: no such message');
  });
});
