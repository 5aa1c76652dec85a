import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, historyOf } from '../store/index.ts';
import type { ChatContext } from '../store/index.ts';
import { followUpContext, nextContext } from './chat-memory.ts';

const aliceList = {
  kind: 'mail' as const,
  query: 'from:alice',
  label: 'mail from alice',
  first: 1,
  messageIds: ['m1', 'm2', 'm3'],
  nextPage: 'key0000001',
  unread: false,
};
const alice = { email: 'alice@northwind.example', name: 'Alice Chen' };

describe('the chat context after an exchange', () => {
  it('keeps what was shown over what was kept, and adds the question', () => {
    const after = nextContext(
      null,
      { mail: aliceList, mailQuery: { query: 'from:alice', label: 'mail from alice' } },
      'anything from Alice?',
    );
    expect(after).toStrictEqual({
      v: 1,
      list: aliceList,
      range: null,
      mailQuery: { query: 'from:alice', label: 'mail from alice' },
      person: null,
      history: [
        {
          question: 'anything from Alice?',
          shown: 'Listed 3 messages (mail from alice), numbered 1 to 3; more can follow.',
        },
      ],
    });
  });

  it('keeps the list when a message is opened, and takes its sender as the last person', () => {
    const before: ChatContext = { ...EMPTY_CONTEXT, list: aliceList };
    const after = nextContext(
      before,
      { person: alice, said: 'Opened message 1 of the list, from Alice Chen.' },
      'open 1',
    );
    expect([after?.list, after?.person, after?.history]).toStrictEqual([
      aliceList,
      alice,
      [{ question: 'open 1', shown: 'Opened message 1 of the list, from Alice Chen.' }],
    ]);
  });

  it('takes an agenda as the last list only when an agenda was asked for', () => {
    const agenda = { from: '2026-03-04T00:00:00-05:00', to: '2026-03-05T00:00:00-05:00' };
    const asked = nextContext(
      null,
      {
        agenda: { ...agenda, eventIds: ['e1', 'e2'] },
        range: { ...agenda, label: 'tomorrow', asked: 'agenda' },
      },
      "what's on tomorrow?",
    );
    const briefing = nextContext(null, { agenda: { ...agenda, eventIds: ['e1'] } }, '/briefing');
    expect([asked?.list, asked?.history[0]?.shown, briefing?.list]).toStrictEqual([
      { kind: 'agenda', ...agenda, label: 'tomorrow', eventIds: ['e1', 'e2'] },
      'Showed the agenda for tomorrow: 2 events.',
      null,
    ]);
  });

  it('keeps the last six questions, each clipped to 300 characters', () => {
    let context: ChatContext | null = null;
    for (let i = 1; i <= 8; i++) context = nextContext(context, {}, `question ${i}`);
    const long = nextContext(context, {}, 'x'.repeat(1000));
    expect({
      kept: context?.history.map((h) => h.question),
      longest: long?.history.at(-1)?.question.length,
      shown: long?.history.at(-1)?.shown,
    }).toStrictEqual({
      kept: ['question 3', 'question 4', 'question 5', 'question 6', 'question 7', 'question 8'],
      longest: 300,
      shown: 'Answered.',
    });
  });

  it('keeps nothing for a button press that showed nothing to remember', () => {
    expect(nextContext({ ...EMPTY_CONTEXT, list: aliceList }, { said: 'x' }, null)).toBeNull();
  });

  it('gives the model path the questions and what was shown, oldest first', () => {
    const context = nextContext(nextContext(null, {}, 'hello'), { mail: aliceList }, 'from alice?');
    expect([historyOf(context), historyOf(null)]).toStrictEqual([
      [
        { role: 'user', text: 'hello' },
        { role: 'assistant', text: 'Answered.' },
        { role: 'user', text: 'from alice?' },
        {
          role: 'assistant',
          text: 'Listed 3 messages (mail from alice), numbered 1 to 3; more can follow.',
        },
      ],
      [],
    ]);
  });

  it('tells follow-ups how long the last list is and whether more follow', () => {
    expect(
      followUpContext({
        ...EMPTY_CONTEXT,
        list: aliceList,
        range: { from: 'a', to: 'b', label: 'friday', asked: 'free' },
        person: alice,
      }),
    ).toStrictEqual({
      list: { kind: 'mail', first: 1, count: 3, hasMore: true, label: 'mail from alice' },
      asked: 'free',
      mailQuery: null,
      person: alice,
    });
  });
});
