import { describe, expect, it } from 'vitest';
import { toolText } from './tool-text.ts';

import {
  OPTIONS,
  NOTICE_MAIL,
  OPEN_MAIL,
  CLOSE,
  ALEX,
  ANNA,
  LINK,
  SUMMARY,
  FULL,
  inside,
  outside,
} from './text.harness.ts';
describe('gmail.search', () => {
  it('renders each message with date, unread mark, sender, subject, ids and snippet', () => {
    const read = { ...SUMMARY, id: '18f2a9c4e1b07d00', unread: false, snippet: '' };
    expect(
      toolText('gmail.search', { messages: [SUMMARY, read], nextPageToken: '0923174856' }, OPTIONS),
    ).toBe(
      [
        '2 messages, newest first.',
        NOTICE_MAIL,
        OPEN_MAIL,
        '1. [unread] Tue 10 Mar 09:12 · From: Anna Lindqvist <anna@example.org> · Subject: Budget review on Thursday · id=18f2a9c4e1b07d35 thread=18f2a9c4e1b07d35',
        '   Could you send me the updated figures by Wednesday?',
        '2. Tue 10 Mar 09:12 · From: Anna Lindqvist <anna@example.org> · Subject: Budget review on Thursday · id=18f2a9c4e1b07d00 thread=18f2a9c4e1b07d35',
        CLOSE,
        'More results: search again with the same query and pageToken=0923174856',
      ].join('\n'),
    );
  });

  it("keeps a date's own wall-clock time and shows the year when it is not this year", () => {
    const tokyo = { ...SUMMARY, date: '2025-12-31T23:30:00+09:00' };
    expect(toolText('gmail.search', { messages: [tokyo] }, OPTIONS)).toContain(
      '1. [unread] Wed 31 Dec 2025 23:30 · From:',
    );
  });

  it('names a sender without a display name by address, and a missing one as unknown', () => {
    const bare = { ...SUMMARY, from: { name: null, email: 'noreply@bank.example' } };
    const none = { ...SUMMARY, from: null, subject: '', date: null };
    const text = toolText('gmail.search', { messages: [bare, none] }, OPTIONS);
    expect(text).toContain('From: noreply@bank.example · Subject: Budget');
    expect(text).toContain('2. [unread] no date · From: (unknown sender) · Subject: (no subject)');
  });

  it('says plainly when no messages match, without a data block', () => {
    expect(toolText('gmail.search', { messages: [] }, OPTIONS)).toBe('No messages match.');
  });
});

describe('gmail.read', () => {
  it('renders headers, attachments and the body', () => {
    expect(toolText('gmail.read', { messages: [FULL] }, OPTIONS)).toBe(
      [
        '1 message.',
        NOTICE_MAIL,
        OPEN_MAIL,
        'From: Anna Lindqvist <anna@example.org>',
        'To: Alex Morgan <alex@example.com>',
        'Subject: Budget review on Thursday',
        'Date: Tue 10 Mar 09:12 [unread]',
        'id=18f2a9c4e1b07d35 thread=18f2a9c4e1b07d35',
        'Attachments: budget.xlsx (application/vnd.ms-excel, 47 KB)',
        '',
        'Hi Alex,',
        '',
        'Could you send me the updated figures by Wednesday?',
        '',
        'Anna',
        CLOSE,
      ].join('\n'),
    );
  });

  it('numbers the messages of a conversation and lists Cc', () => {
    const reply = {
      ...FULL,
      id: '18f2a9c4e1b07d99',
      from: ALEX,
      to: [ANNA],
      cc: [{ name: null, email: 'finance@example.com' }],
      subject: 'Re: Budget review on Thursday',
      unread: false,
      body: '',
      attachments: [],
    };
    const text = toolText('gmail.read', { messages: [FULL, reply] }, OPTIONS);
    expect(outside(text)).toContain('A conversation of 2 messages, oldest first.');
    expect(inside(text)).toContain(
      [
        '--- message 2 of 2 ---',
        'From: Alex Morgan <alex@example.com>',
        'To: Anna Lindqvist <anna@example.org>',
        'Cc: finance@example.com',
        'Subject: Re: Budget review on Thursday',
        'Date: Tue 10 Mar 09:12',
        'id=18f2a9c4e1b07d99 thread=18f2a9c4e1b07d35',
        '',
        '(no text body)',
      ].join('\n'),
    );
  });
});

describe('gmail.unread', () => {
  it('gives the inbox counts, then the labels inside the block', () => {
    const output = {
      inbox: { unreadMessages: 7, unreadThreads: 5 },
      labels: [
        { id: 'CATEGORY_UPDATES', name: 'Updates', unread: 4 },
        { id: 'Label_3', name: 'Clients/Acme', unread: 1 },
      ],
    };
    expect(toolText('gmail.unread', output, OPTIONS)).toBe(
      [
        'Inbox: 7 unread messages in 5 conversations.',
        'Unread mail by label:',
        NOTICE_MAIL,
        OPEN_MAIL,
        'Updates: 4',
        'Clients/Acme: 1',
        CLOSE,
      ].join('\n'),
    );
  });

  it('says when no label has unread mail', () => {
    const output = { inbox: { unreadMessages: 1, unreadThreads: 1 }, labels: [] };
    expect(toolText('gmail.unread', output, OPTIONS)).toBe(
      'Inbox: 1 unread message in 1 conversation.\nNo label or category has unread mail.',
    );
  });
});

describe('actions.extract', () => {
  const action = {
    messageId: SUMMARY.id,
    from: ANNA,
    subject: SUMMARY.subject,
    date: SUMMARY.date,
    ask: 'Could you send me the updated figures by Wednesday?',
    due: '2026-03-11T23:59:00+01:00',
    dueText: 'by Wednesday',
    why: '"can/could you …"; deadline "by Wednesday"',
    link: LINK,
  };

  it('gives each ask with who asks, the deadline and the message id', () => {
    const undated = { ...action, messageId: 'abc123', from: null, due: null, dueText: null };
    expect(
      toolText(
        'actions.extract',
        { timeZone: 'Europe/Berlin', actions: [action, undated] },
        OPTIONS,
      ),
    ).toBe(
      [
        '2 action items from recent mail, soonest deadline first (times in Europe/Berlin).',
        NOTICE_MAIL,
        OPEN_MAIL,
        '1. Anna Lindqvist <anna@example.org> asks: "Could you send me the updated figures by Wednesday?" · due Wed 11 Mar 23:59 (by Wednesday) · re: Budget review on Thursday · id=18f2a9c4e1b07d35',
        '2. (unknown sender) asks: "Could you send me the updated figures by Wednesday?" · re: Budget review on Thursday · id=abc123',
        CLOSE,
      ].join('\n'),
    );
  });

  it('says plainly when there are none', () => {
    expect(toolText('actions.extract', { timeZone: 'UTC', actions: [] }, OPTIONS)).toBe(
      'No action items found in recent mail.',
    );
  });
});
