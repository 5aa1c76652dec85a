import { describe, expect, it } from 'vitest';
import { chatKeyOf, createChatQueue } from './chat-queue.ts';

/** A task that records when it starts and ends, and ends when told. */
function gate(log: string[], name: string) {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    open,
    task: async () => {
      log.push(`${name} start`);
      await opened;
      log.push(`${name} end`);
    },
  };
}

describe('the chat queue', () => {
  it('runs one chat in order and other chats alongside', async () => {
    const log: string[] = [];
    const queue = createChatQueue(() => {});
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const runs = [queue.run('a', a1.task), queue.run('a', a2.task), queue.run('b', b1.task)];
    await Promise.resolve();
    await Promise.resolve();
    const started = [...log];
    b1.open();
    a2.open();
    a1.open();
    await Promise.all(runs);
    expect({ started, log, size: queue.size }).toStrictEqual({
      started: ['a1 start', 'b1 start'],
      log: ['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end'],
      size: 0,
    });
  });

  it('reports a failing task with its key and goes on with the next one', async () => {
    const failures: Array<[string, string]> = [];
    const queue = createChatQueue((error, key) => failures.push([key, (error as Error).message]));
    const done: string[] = [];
    await Promise.all([
      queue.run('a', async () => {
        throw new Error('boom');
      }),
      queue.run('a', async () => {
        done.push('after');
      }),
    ]);
    expect({ failures, done }).toStrictEqual({ failures: [['a', 'boom']], done: ['after'] });
  });

  it('waits for idle, or answers false once the bound passes', async () => {
    const log: string[] = [];
    const queue = createChatQueue(() => {});
    const slow = gate(log, 'slow');
    void queue.run('a', slow.task);
    const bounded = await queue.idle(20);
    const size = queue.size;
    slow.open();
    expect({ bounded, size, after: await queue.idle(), empty: await queue.idle(0) }).toStrictEqual({
      bounded: false,
      size: 1,
      after: true,
      empty: true,
    });
  });

  it('keys an update by its chat, a button by its message chat or its sender', () => {
    const from = { id: 7, is_bot: false, first_name: 'A' };
    const chat = { id: 9, type: 'private' as const, first_name: 'A' };
    expect([
      chatKeyOf({ update_id: 1, message: { message_id: 1, date: 0, chat, from, text: 'x' } }),
      chatKeyOf({
        update_id: 2,
        callback_query: { id: 'q', from, chat_instance: 'i', data: 'd' },
      }),
      chatKeyOf({ update_id: 3 }),
    ]).toStrictEqual(['9', '7', 'other']);
  });
});
