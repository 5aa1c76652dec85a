import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../log.ts';
import { type ChatLease, createInboxWorker, type UpdateInbox } from './inbox-worker.ts';

/** The inbox's contract kept in memory, on a clock the test moves. */
function memoryInbox() {
  let clock = 0;
  const rows = new Map<
    number,
    { chatKey: string; update: Update; attempts: number; done: boolean }
  >();
  const leases = new Map<string, { token: string; until: number }>();
  let tokens = 0;
  const inbox: UpdateInbox = {
    async add(entries) {
      let added = 0;
      for (const entry of entries) {
        if (rows.has(entry.updateId)) continue;
        rows.set(entry.updateId, { ...entry, attempts: 0, done: false });
        added++;
      }
      return added;
    },
    async takeChat(chatKey, leaseMs) {
      const held = leases.get(chatKey);
      if (held && held.until > clock) return null;
      const token = `t${++tokens}`;
      leases.set(chatKey, { token, until: clock + leaseMs });
      return { chatKey, token };
    },
    async renewChat(lease, leaseMs) {
      const held = leases.get(lease.chatKey);
      if (held?.token !== lease.token) return false;
      held.until = clock + leaseMs;
      return true;
    },
    async releaseChat(lease) {
      if (leases.get(lease.chatKey)?.token === lease.token) leases.delete(lease.chatKey);
    },
    async beginNext(chatKey) {
      const waiting = [...rows.entries()]
        .filter(([, row]) => row.chatKey === chatKey && !row.done)
        .sort(([a], [b]) => a - b)[0];
      if (!waiting) return null;
      const [updateId, row] = waiting;
      row.attempts += 1;
      return { updateId, chatKey, update: row.update, attempts: row.attempts };
    },
    async done(updateId) {
      const row = rows.get(updateId);
      if (row) row.done = true;
    },
    async waitingChats(limit) {
      const chats = new Set<string>();
      for (const row of rows.values()) {
        const held = leases.get(row.chatKey);
        if (!row.done && !(held && held.until > clock)) chats.add(row.chatKey);
      }
      return [...chats].slice(0, limit);
    },
    async hasWaiting(chatKey) {
      return [...rows.values()].some((row) => row.chatKey === chatKey && !row.done);
    },
  };
  return {
    inbox,
    rows,
    leases,
    advance(ms: number) {
      clock += ms;
    },
    /** Another instance takes the chat, as if it had begun its first update. */
    async heldElsewhere(chatKey: string): Promise<ChatLease> {
      const lease = await inbox.takeChat(chatKey, 10_000);
      if (!lease) throw new Error('already held');
      return lease;
    },
  };
}

function message(updateId: number, chatId: number): Update {
  const chat = { id: chatId, type: 'private' as const, first_name: 'A' };
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat,
      from: { id: chatId, is_bot: false, first_name: 'A' },
      text: 'x',
    },
  };
}

/** An answer that records each update and waits for the test to let it finish. */
function gatedAnswers() {
  const log: string[] = [];
  const gates = new Map<number, () => void>();
  const started = new Map<number, () => void>();
  const waitingToStart = new Map<number, Promise<void>>();
  const startOf = (id: number) => {
    let known = waitingToStart.get(id);
    if (!known) {
      known = new Promise<void>((resolve) => started.set(id, resolve));
      waitingToStart.set(id, known);
    }
    return known;
  };
  return {
    log,
    answer: async (update: unknown) => {
      const id = (update as Update).update_id;
      log.push(`${id} start`);
      void startOf(id);
      started.get(id)?.();
      await new Promise<void>((resolve) => gates.set(id, resolve));
      log.push(`${id} end`);
    },
    started: startOf,
    finish(id: number) {
      gates.get(id)?.();
    },
  };
}

const quiet = createLogger('silent');
const never = () => false;

describe('the inbox worker', () => {
  it('answers one chat in update order and other chats alongside, each update once', async () => {
    const memory = memoryInbox();
    const answers = gatedAnswers();
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: answers.answer,
      retryable: never,
      logger: quiet,
    });
    await worker.accept([message(1, 10), message(2, 10), message(3, 20)]);
    await worker.accept([message(1, 10)]);
    await Promise.all([answers.started(1), answers.started(3)]);
    const first = [...answers.log];
    answers.finish(3);
    answers.finish(1);
    await answers.started(2);
    answers.finish(2);
    await worker.idle();
    expect({
      first,
      log: answers.log,
      attempts: [...memory.rows.values()].map((row) => [row.attempts, row.done]),
      leases: memory.leases.size,
    }).toStrictEqual({
      first: ['1 start', '3 start'],
      log: ['1 start', '3 start', '3 end', '1 end', '2 start', '2 end'],
      attempts: [
        [1, true],
        [1, true],
        [1, true],
      ],
      leases: 0,
    });
  });

  it('leaves a chat held elsewhere, and answers it once the holder lets go', async () => {
    const memory = memoryInbox();
    const answered: number[] = [];
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: async (update) => {
        answered.push((update as Update).update_id);
      },
      retryable: never,
      logger: quiet,
    });
    const elsewhere = await memory.heldElsewhere('10');
    await worker.accept([message(5, 10)]);
    await worker.idle();
    const whileHeld = [...answered];
    await memory.inbox.releaseChat(elsewhere);
    await worker.recover();
    await worker.idle();
    expect({ whileHeld, answered }).toStrictEqual({ whileHeld: [], answered: [5] });
  });

  it('answers, once its lease runs out, the update of a holder that died, then the rest in order', async () => {
    const memory = memoryInbox();
    const answered: number[] = [];
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: async (update) => {
        answered.push((update as Update).update_id);
      },
      retryable: never,
      logger: quiet,
      leaseMs: 10_000,
    });
    await memory.inbox.add(
      [7, 8].map((id) => ({ updateId: id, chatKey: '10', update: message(id, 10) })),
    );
    await memory.heldElsewhere('10');
    await memory.inbox.beginNext('10');
    await worker.recover();
    await worker.idle();
    const beforeExpiry = [...answered];
    memory.advance(10_000);
    await worker.recover();
    await worker.idle();
    expect({
      beforeExpiry,
      answered,
      attempts: [...memory.rows.values()].map((row) => row.attempts),
    }).toStrictEqual({ beforeExpiry: [], answered: [7, 8], attempts: [2, 1] });
  });

  it('leaves an update the database failed for a later pass, and gives it up after the last attempt', async () => {
    const memory = memoryInbox();
    const away = new Error('database away');
    let tries = 0;
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: async () => {
        tries++;
        throw away;
      },
      retryable: (error) => error === away,
      logger: quiet,
      maxAttempts: 3,
    });
    await worker.accept([message(9, 10)]);
    await worker.idle();
    const afterFirst = { tries, done: memory.rows.get(9)!.done };
    for (let pass = 0; pass < 3; pass++) {
      await worker.recover();
      await worker.idle();
    }
    expect({ afterFirst, tries, done: memory.rows.get(9)!.done }).toStrictEqual({
      afterFirst: { tries: 1, done: false },
      tries: 3,
      done: true,
    });
  });

  it('counts an update whose answer failed otherwise as answered, and goes on', async () => {
    const memory = memoryInbox();
    const answered: number[] = [];
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: async (update) => {
        const id = (update as Update).update_id;
        if (id === 1) throw new Error('Telegram refused the reply');
        answered.push(id);
      },
      retryable: never,
      logger: quiet,
    });
    await worker.accept([message(1, 10), message(2, 10)]);
    await worker.idle();
    expect({ answered, done: [...memory.rows.values()].map((row) => row.done) }).toStrictEqual({
      answered: [2],
      done: [true, true],
    });
  });

  it('stops by finishing the update in hand and giving the chat back, taking nothing new', async () => {
    const memory = memoryInbox();
    const answers = gatedAnswers();
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: answers.answer,
      retryable: never,
      logger: quiet,
    });
    await worker.accept([message(1, 10), message(2, 10)]);
    await answers.started(1);
    const stopped = worker.stop(60_000);
    await worker.accept([message(3, 20)]);
    answers.finish(1);
    expect({
      drained: await stopped,
      log: answers.log,
      done: [...memory.rows.entries()].map(([id, row]) => [id, row.done]),
      leases: memory.leases.size,
    }).toStrictEqual({
      drained: true,
      log: ['1 start', '1 end'],
      done: [
        [1, true],
        [2, false],
        [3, false],
      ],
      leases: 0,
    });
  });

  it('says when stopping ran out of time with an update still in hand', async () => {
    const memory = memoryInbox();
    const answers = gatedAnswers();
    const worker = createInboxWorker({
      inbox: memory.inbox,
      answer: answers.answer,
      retryable: never,
      logger: quiet,
    });
    await worker.accept([message(1, 10)]);
    await answers.started(1);
    const drained = await worker.stop(0);
    const busy = worker.busy;
    answers.finish(1);
    await worker.idle();
    expect({ drained, busy }).toStrictEqual({ drained: false, busy: 1 });
  });
});
