import { describe, expect, it } from 'vitest';
import { findActions, findDeadline, findEventDay, isOpen, splitSentences } from './action-rules.ts';

// Tuesday 24 November 2026, 10:00 in New York.
const sent = new Date('2026-11-24T15:00:00Z');
const zone = 'America/New_York';

function due(sentence: string, tz = zone) {
  const d = findDeadline(sentence, sent, tz);
  return d ? { due: d.due.toISO({ suppressMilliseconds: true }), dueText: d.dueText } : null;
}

describe('deadlines', () => {
  it('reads "by Friday" as the end of that day', () => {
    expect(due('Please send the slides by Friday.')).toStrictEqual({
      due: '2026-11-27T23:59:00-05:00',
      dueText: 'by Friday',
    });
  });
  it('reads "end of day Thursday" as 17:00', () => {
    expect(due('Could you review it by end of day Thursday?')).toStrictEqual({
      due: '2026-11-26T17:00:00-05:00',
      dueText: 'by end of day Thursday',
    });
  });
  it('keeps an explicit time', () => {
    expect(due('Can you reply by 3pm tomorrow?')).toStrictEqual({
      due: '2026-11-25T15:00:00-05:00',
      dueText: 'by 3pm tomorrow',
    });
  });
  it('resolves relative to the message date in the user zone', () => {
    // 15:00 UTC is already Wednesday 04:00 in Auckland: "tomorrow" is Thursday there.
    expect(due('Please confirm by tomorrow.', 'Pacific/Auckland')).toStrictEqual({
      due: '2026-11-26T23:59:00+13:00',
      dueText: 'by tomorrow',
    });
  });
  it('ignores dates that are not introduced as a deadline', () => {
    expect(due("Could you look at Monday's numbers?")).toBe(null);
  });
});

describe('sentences and asks', () => {
  it('splits on sentence ends, paragraphs and list items', () => {
    expect(
      splitSentences('Hi Alex.\n\nThanks for this. Could you check?\n- item one\n- item two'),
    ).toStrictEqual(['Hi Alex.', 'Thanks for this.', 'Could you check?', 'item one', 'item two']);
  });

  it('finds asks with the rule that matched, ignoring quoted text and signatures', () => {
    const body = [
      'Hi Alex,',
      '',
      'Please find attached the agenda. We need you to sign the form before Thursday. Let me know if anything is unclear.',
      '',
      '> Could you do the old thing?',
      '-- ',
      'Please do not print this email.',
    ].join('\n');
    const found = findActions('Form', body, sent, zone).map((m) => ({
      ask: m.ask,
      rule: m.rule.id,
      due: m.deadline?.due.toISO({ suppressMilliseconds: true }) ?? null,
    }));
    expect(found).toStrictEqual([
      {
        ask: 'We need you to sign the form before Thursday.',
        rule: 'need-you-to',
        due: '2026-11-26T23:59:00-05:00',
      },
      { ask: 'Let me know if anything is unclear.', rule: 'let-me-know', due: null },
    ]);
  });

  it('treats a reminder of something due as an ask', () => {
    const found = findActions(
      'Reminder: expense report',
      'Your expense report is due on Monday.',
      sent,
      zone,
    ).map((m) => [m.rule.id, m.deadline?.dueText ?? null]);
    expect(found).toStrictEqual([['reminder-due', 'due on Monday']]);
  });

  it('treats an RSVP request as an ask', () => {
    const found = findActions(
      'Holiday party',
      'Join us on Friday 18 December! RSVP by December 4.',
      sent,
      zone,
    ).map((m) => [m.ask, m.rule.id, m.deadline?.due.toISO({ suppressMilliseconds: true }) ?? null]);
    expect(found).toStrictEqual([['RSVP by December 4.', 'rsvp', '2026-12-04T23:59:00-05:00']]);
  });
});

describe('asks that time has closed', () => {
  // Thursday 5 March 2026, 08:03 in New York, and the Saturday dinner it invites to.
  const invited = new Date('2026-03-05T13:03:27Z');
  const ny = 'America/New_York';
  const body = [
    "Noor turns 30 on Saturday. I'm thinking dinner at Osteria Lina at 7:30.",
    '',
    'Can you RSVP by tomorrow so I can book the table?',
  ].join('\n');
  const open = (subject: string, text: string, sent: Date, at: string) =>
    findActions(subject, text, sent, ny).map((m) => [m.ask, isOpen(m, new Date(at))]);

  it('closes an RSVP when its deadline has passed', () => {
    expect([
      open("Dinner for Noor's 30th on Saturday?", body, invited, '2026-03-06T23:00:00Z'),
      open("Dinner for Noor's 30th on Saturday?", body, invited, '2026-03-07T05:00:00Z'),
    ]).toStrictEqual([
      [['Can you RSVP by tomorrow so I can book the table?', true]],
      [['Can you RSVP by tomorrow so I can book the table?', false]],
    ]);
  });

  it('closes an RSVP without a deadline once the dinner it is for has begun', () => {
    const booked = new Date('2026-03-07T15:12:45Z');
    const text = 'Table booked for 6 at 7:30 tonight. Alex, you still owe me an RSVP :)';
    const subject = "Re: Dinner for Noor's 30th on Saturday?";
    expect([
      open(subject, text, booked, '2026-03-08T00:29:00Z'),
      open(subject, text, booked, '2026-03-08T00:30:00Z'),
      // A week on, the dinner is long over.
      open(subject, text, booked, '2026-03-14T15:00:00Z'),
    ]).toStrictEqual([
      [['Alex, you still owe me an RSVP :)', true]],
      [['Alex, you still owe me an RSVP :)', false]],
      [['Alex, you still owe me an RSVP :)', false]],
    ]);
  });

  it('reads the day of the event, not the deadline, and keeps a dateless ask open', () => {
    const party = findEventDay(
      ['Holiday party', 'Join us on Friday 18 December! RSVP by December 4.'],
      sent,
      zone,
    );
    expect({
      day: party?.day.toISO({ suppressMilliseconds: true }),
      at: party?.at ?? null,
      dateless: open('Slides', 'Could you send the slides?', invited, '2027-01-01T00:00:00Z'),
    }).toStrictEqual({
      day: '2026-12-18T00:00:00-05:00',
      at: null,
      dateless: [['Could you send the slides?', true]],
    });
  });
});

describe('an ask without a deadline beside one with a deadline', () => {
  it('closes with the message once its deadline has passed', () => {
    const friday = new Date('2026-03-06T14:00:12Z');
    const text =
      'Friendly reminder: timesheets are due today at 5pm. Lumen hours under LUM-02, please.';
    const open = (at: string) =>
      findActions('Timesheets due today at 5pm', text, friday, 'America/New_York').map((m) =>
        isOpen(m, new Date(at)),
      );
    expect([open('2026-03-06T21:59:00Z'), open('2026-03-06T22:01:00Z')]).toStrictEqual([
      [true, true],
      [false, false],
    ]);
  });
});
