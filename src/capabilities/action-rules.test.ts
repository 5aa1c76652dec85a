import { describe, expect, it } from 'vitest';
import { findActions, findDeadline, splitSentences } from './action-rules.ts';

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
