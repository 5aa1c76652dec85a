import { describe, expect, it } from 'vitest';
import { createConnectionMemo, forgetConnection } from './connection-memo.ts';
import type { GmailMessage } from './gmail-schemas.ts';
import { createMessageCache, type MessageCacheLimits } from './message-cache.ts';

const SHAPE = 'metadata:From,Subject';

function message(id: string, historyId: number, labelIds: string[] = ['INBOX', 'UNREAD']) {
  return {
    id,
    threadId: `t${id}`,
    labelIds,
    snippet: `about ${id}`,
    historyId: String(historyId),
    payload: { headers: [{ name: 'Subject', value: `Subject ${id}` }] },
  } satisfies GmailMessage;
}

function setup(limits: MessageCacheLimits = {}) {
  let at = Date.parse('2026-12-01T10:00:00Z');
  const cache = createMessageCache(() => new Date(at), limits);
  const labels = (connectionId: string, ids: string[]) => {
    const found = cache.lookup(cache.begin(connectionId), SHAPE, ids);
    return Object.fromEntries([...found].map(([id, m]) => [id, m.labelIds]));
  };
  return {
    cache,
    labels,
    advance(ms: number) {
      at += ms;
    },
  };
}

describe('the message metadata cache', () => {
  it('keeps what a first listing fetched, from the history id read before, in the shape asked', () => {
    const { cache, labels } = setup();
    const ticket = cache.begin('c1');
    expect(ticket.syncedTo).toBeNull();
    cache.store(ticket, SHAPE, [message('a', 90), message('b', 95, ['INBOX'])], '100');
    const again = cache.begin('c1');
    expect({
      syncedTo: again.syncedTo,
      labels: labels('c1', ['a', 'b', 'x']),
      otherShape: cache.lookup(again, 'metadata:Date', ['a']).size,
      message: cache.lookup(again, SHAPE, ['a']).get('a'),
    }).toStrictEqual({
      syncedTo: '100',
      labels: { a: ['INBOX', 'UNREAD'], b: ['INBOX'] },
      otherShape: 0,
      message: message('a', 90),
    });
  });

  it('keeps nothing from a first listing that had no history id to start from', () => {
    const { cache } = setup();
    cache.store(cache.begin('c1'), SHAPE, [message('a', 90)], null);
    expect({ syncedTo: cache.begin('c1').syncedTo, held: cache.size('c1').messages }).toStrictEqual(
      { syncedTo: null, held: 0 },
    );
  });

  it('applies label changes newer than each message, and never undoes a later one', () => {
    const { cache, labels } = setup();
    cache.store(cache.begin('c1'), SHAPE, [message('a', 90), message('b', 120)], '100');
    const first = cache.begin('c1');
    const second = cache.begin('c1');
    // b was fetched after record 110 (its own history id is 120): 110 is already in it.
    const later = {
      historyId: '140',
      history: [
        { id: '110', labelsRemoved: [{ message: { id: 'b' }, labelIds: ['INBOX'] }] },
        {
          id: '130',
          labelsRemoved: [{ message: { id: 'a' }, labelIds: ['UNREAD'] }],
          labelsAdded: [{ message: { id: 'a' }, labelIds: ['STARRED'] }],
        },
      ],
    };
    // An older answer arriving last: a's 105 (read again) comes before 130 (read).
    const earlier = {
      historyId: '106',
      history: [{ id: '105', labelsAdded: [{ message: { id: 'a' }, labelIds: ['UNREAD'] }] }],
    };
    cache.applyHistory(second, later);
    cache.applyHistory(first, earlier);
    expect({
      labels: labels('c1', ['a', 'b']),
      syncedTo: cache.begin('c1').syncedTo,
    }).toStrictEqual({
      labels: { a: ['INBOX', 'STARRED'], b: ['INBOX', 'UNREAD'] },
      syncedTo: '140',
    });
  });

  it('drops a deleted message, and everything when the history has more pages', () => {
    const { cache } = setup();
    cache.store(cache.begin('c1'), SHAPE, [message('a', 90), message('b', 91)], '100');
    let ticket = cache.applyHistory(cache.begin('c1'), {
      historyId: '102',
      history: [{ id: '101', messagesDeleted: [{ message: { id: 'a' } }] }],
    });
    const afterDelete = cache.size('c1').messages;
    ticket = cache.applyHistory(ticket, { historyId: '300', history: [], nextPageToken: 'more' });
    expect({
      afterDelete,
      after: cache.size('c1').messages,
      syncedTo: ticket.syncedTo,
    }).toStrictEqual({ afterDelete: 1, after: 0, syncedTo: null });
  });

  it('does not keep messages fetched while another listing applied history', () => {
    const { cache } = setup();
    cache.store(cache.begin('c1'), SHAPE, [message('a', 90)], '100');
    const slow = cache.applyHistory(cache.begin('c1'), { historyId: '101', history: [] });
    cache.applyHistory(cache.begin('c1'), { historyId: '102', history: [] });
    cache.store(slow, SHAPE, [message('b', 95)], '101');
    expect(cache.size('c1').messages).toBe(1);
  });

  it('forgets a connection, and a listing started before cannot write it back', () => {
    const { cache } = setup();
    cache.store(cache.begin('c1'), SHAPE, [message('a', 90)], '100');
    cache.store(cache.begin('c2'), SHAPE, [message('a', 90)], '100');
    const before = cache.begin('c1');
    cache.forget('c1');
    cache.applyHistory(before, { historyId: '101', history: [] });
    cache.store(before, SHAPE, [message('b', 95)], '101');
    expect({
      c1: cache.size('c1').messages,
      c2: cache.size('c2').messages,
      syncedTo: cache.begin('c1').syncedTo,
    }).toStrictEqual({ c1: 0, c2: 1, syncedTo: null });
  });

  it('holds at most the per-connection cap, the least recently used going first', () => {
    const { cache, labels } = setup({ perConnection: 3 });
    cache.store(
      cache.begin('c1'),
      SHAPE,
      [message('a', 1), message('b', 2), message('c', 3)],
      '10',
    );
    labels('c1', ['a']);
    cache.store(cache.begin('c1'), SHAPE, [message('d', 4)], null);
    expect(Object.keys(labels('c1', ['a', 'b', 'c', 'd']))).toStrictEqual(['a', 'c', 'd']);
  });

  it('holds at most the total message and byte caps across connections', () => {
    const byCount = setup({ totalMessages: 3 });
    byCount.cache.store(byCount.cache.begin('c1'), SHAPE, [message('a', 1), message('b', 2)], '10');
    byCount.cache.store(byCount.cache.begin('c2'), SHAPE, [message('a', 1), message('b', 2)], '10');
    const one = byCount.cache.size('c2').bytes / 2;
    const byBytes = setup({ totalBytes: Math.floor(one * 3.5) });
    byBytes.cache.store(byBytes.cache.begin('c1'), SHAPE, [message('a', 1), message('b', 2)], '10');
    byBytes.cache.store(byBytes.cache.begin('c2'), SHAPE, [message('a', 1), message('b', 2)], '10');
    expect({
      count: [byCount.cache.size().messages, Object.keys(byCount.labels('c1', ['a', 'b']))],
      bytes: [byBytes.cache.size().messages, byBytes.cache.size().bytes <= one * 3.5],
    }).toStrictEqual({ count: [3, ['b']], bytes: [3, true] });
  });

  it('holds a message an hour, and starts a connection over when its last sync is older', () => {
    const { cache, labels, advance } = setup();
    cache.store(cache.begin('c1'), SHAPE, [message('a', 1)], '10');
    advance(30 * 60_000);
    cache.applyHistory(cache.begin('c1'), { historyId: '11', history: [] });
    cache.store(cache.begin('c1'), SHAPE, [message('b', 2)], null);
    advance(31 * 60_000);
    const held = Object.keys(labels('c1', ['a', 'b']));
    advance(60 * 60_000);
    expect({
      held,
      syncedTo: cache.begin('c1').syncedTo,
      left: cache.size().messages,
    }).toStrictEqual({ held: ['b'], syncedTo: null, left: 0 });
  });
});

describe('forgetting a connection in every memo of the process', () => {
  it('drops the profile and the messages, or the messages alone', async () => {
    const memo = createConnectionMemo(() => new Date('2026-12-01T10:00:00Z'));
    let loads = 0;
    const profile = () =>
      memo.get('c9', 'gmail.profile', 60_000, async () => {
        loads += 1;
        return loads;
      });
    const fill = () =>
      memo.messages.store(memo.messages.begin('c9'), SHAPE, [message('a', 1)], '5');
    await profile();
    fill();
    forgetConnection('c9', 'messages');
    const afterMessages = { profile: await profile(), held: memo.messages.size('c9').messages };
    fill();
    forgetConnection('c9');
    expect({
      afterMessages,
      afterAll: { profile: await profile(), held: memo.messages.size('c9').messages },
    }).toStrictEqual({ afterMessages: { profile: 1, held: 0 }, afterAll: { profile: 2, held: 0 } });
  });
});
