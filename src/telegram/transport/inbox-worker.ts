/**
 * Answers the updates of a durable inbox shared by every instance, one chat at a time
 * across all of them and in update order within a chat, concurrently across chats.
 *
 * `accept` stores updates and resolves only once they are stored (the webhook says 200,
 * and polling confirms the offset, only then); the chats they belong to are then worked
 * here at once. Working a chat means holding its lease: taken only when free or run out,
 * renewed on a heartbeat and before each update, given back when the chat has nothing
 * left. Whoever finds a chat held leaves it: the holder looks for more before it lets go,
 * and again after, so an update stored meanwhile is not left behind. A recovery pass
 * (at start and every few seconds) works the chats with updates waiting and no live
 * lease — those of an instance that died — so an update once stored is answered.
 *
 * An update is answered at least once: one whose holder died mid-answer is answered again
 * from the start. A failure the database caused is left for the next pass; any other
 * failure is logged and the update counts as answered (its replies may have gone out).
 * An update begun more than `maxAttempts` times is given up, so one that kills its
 * process cannot stop its chat for good. Stopping takes no new chat, finishes the update
 * in hand, and gives every chat back.
 */
import type { Update } from 'grammy/types';
import type { Logger } from '../../log.ts';
import { chatKeyOf } from './chat-queue.ts';
import { loggableError } from './loggable-error.ts';

/** A held chat: only the holder of `token` answers its updates until the lease runs out. */
export interface ChatLease {
  chatKey: string;
  token: string;
}

export interface NewInboxEntry {
  updateId: number;
  chatKey: string;
  update: Update;
}

/** An update begun: its content as stored, and how many times it has been begun. */
export interface InboxEntry {
  updateId: number;
  chatKey: string;
  update: unknown;
  attempts: number;
}

/** Where updates wait (`store/update-inbox.ts`). */
export interface UpdateInbox {
  /** Stores the entries in one statement; a known update id stores nothing. Answers how many were new. */
  add(entries: readonly NewInboxEntry[]): Promise<number>;
  /** Takes the chat's lease for `leaseMs` when it is free or has run out; null when held. */
  takeChat(chatKey: string, leaseMs: number): Promise<ChatLease | null>;
  /** Extends the lease from now; false when it is no longer ours. */
  renewChat(lease: ChatLease, leaseMs: number): Promise<boolean>;
  releaseChat(lease: ChatLease): Promise<void>;
  /** Begins the chat's lowest update not yet answered (one more attempt); null when none. */
  beginNext(chatKey: string): Promise<InboxEntry | null>;
  /** Marks the update answered (its content is erased). */
  done(updateId: number): Promise<void>;
  /** Chats with updates waiting and no live lease, at most `limit`. */
  waitingChats(limit: number): Promise<string[]>;
  hasWaiting(chatKey: string): Promise<boolean>;
}

export interface InboxWorkerDeps {
  inbox: UpdateInbox;
  /** Answers one update completely; throws what answering it threw. */
  answer: (update: unknown) => Promise<void>;
  /** Whether a failure should be tried again on a later pass (the database was away). */
  retryable: (error: unknown) => boolean;
  logger: Logger;
  /** How long a chat's lease lasts without renewal: how long a dead holder holds it (10 s). */
  leaseMs?: number;
  /** How often a holder renews its lease while one update takes long (3 s). */
  renewEveryMs?: number;
  /** How often the recovery pass runs (2 s). */
  recoverEveryMs?: number;
  /** Attempts after which an update is given up (5). */
  maxAttempts?: number;
}

export interface InboxWorker {
  /** Stores the updates, then works their chats; rejects when they could not be stored. */
  accept(updates: readonly Update[]): Promise<void>;
  /** Runs the recovery pass now and then every `recoverEveryMs`. */
  start(): void;
  /** One recovery pass: works every chat left waiting with no live lease. */
  recover(): Promise<void>;
  /**
   * Takes no new chat, lets each held one finish its update in hand and gives it back;
   * true when all did within `timeoutMs`.
   */
  stop(timeoutMs: number): Promise<boolean>;
  /** Resolves once no chat is being worked here. */
  idle(): Promise<void>;
  /** How many chats are being worked here. */
  readonly busy: number;
}

const RECOVER_BATCH = 100;

interface ChatRun {
  /** Set when the chat is woken again while worked: look once more before ending. */
  again: boolean;
  settled: Promise<void>;
}

export function createInboxWorker(deps: InboxWorkerDeps): InboxWorker {
  const { inbox, logger } = deps;
  const leaseMs = deps.leaseMs ?? 10_000;
  const renewEveryMs = deps.renewEveryMs ?? 3_000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const runs = new Map<string, ChatRun>();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let recovering: Promise<void> | null = null;
  let recoveryFailing = false;

  /** Renews the lease every `renewEveryMs` while an update is answered. */
  function heartbeat(lease: ChatLease): () => Promise<void> {
    let renewing: Promise<unknown> = Promise.resolve();
    let warned = false;
    const beat = setInterval(() => {
      renewing = inbox.renewChat(lease, leaseMs).catch((error: unknown) => {
        if (!warned)
          logger.warn({ err: loggableError(error) }, 'could not renew a Telegram chat lease');
        warned = true;
      });
    }, renewEveryMs);
    beat.unref();
    return async () => {
      clearInterval(beat);
      await renewing;
    };
  }

  /** Answers one begun update; 'retry' leaves it waiting for a later pass. */
  async function answerOne(entry: InboxEntry): Promise<'done' | 'retry'> {
    if (entry.attempts > maxAttempts || entry.update === null) {
      if (entry.update !== null) {
        logger.warn(
          { updateId: entry.updateId, attempts: entry.attempts - 1 },
          'gave up on a Telegram update begun too many times',
        );
      }
      await inbox.done(entry.updateId);
      return 'done';
    }
    try {
      await deps.answer(entry.update);
    } catch (error) {
      if (deps.retryable(error)) {
        logger.warn(
          { err: loggableError(error), updateId: entry.updateId },
          'telegram update left for a later try',
        );
        return 'retry';
      }
      logger.error({ err: loggableError(error), chat: entry.chatKey }, 'telegram update failed');
    }
    await inbox.done(entry.updateId);
    return 'done';
  }

  /** Works the chat while it holds its lease: until it is empty, held elsewhere, lost, or an update waits for a retry. */
  async function holdAndWork(chatKey: string): Promise<'empty' | 'held' | 'retry' | 'lost'> {
    const lease = await inbox.takeChat(chatKey, leaseMs);
    if (!lease) return 'held';
    const stopBeat = heartbeat(lease);
    try {
      while (!stopping) {
        const entry = await inbox.beginNext(chatKey);
        if (!entry) return 'empty';
        if ((await answerOne(entry)) === 'retry') return 'retry';
        if (stopping) break;
        if (!(await inbox.renewChat(lease, leaseMs))) return 'lost';
      }
      return 'empty';
    } finally {
      await stopBeat();
      await inbox.releaseChat(lease);
    }
  }

  async function work(chatKey: string, run: ChatRun): Promise<void> {
    do {
      run.again = false;
      const outcome = await holdAndWork(chatKey);
      if (outcome !== 'empty' || stopping) return;
      // Stored while the lease was being given back: its own wake found the chat held.
      if (await inbox.hasWaiting(chatKey)) run.again = true;
    } while (run.again && !stopping);
  }

  function wake(chatKey: string): void {
    if (stopping) return;
    const running = runs.get(chatKey);
    if (running) {
      running.again = true;
      return;
    }
    const run: ChatRun = { again: false, settled: Promise.resolve() };
    runs.set(chatKey, run);
    run.settled = work(chatKey, run)
      .catch((error: unknown) => {
        logger.warn(
          { err: loggableError(error), chat: chatKey },
          'working a Telegram chat failed; its updates wait for the next pass',
        );
      })
      .finally(() => {
        runs.delete(chatKey);
      });
  }

  async function recoverOnce(): Promise<void> {
    try {
      const chats = await inbox.waitingChats(RECOVER_BATCH);
      if (recoveryFailing) logger.info('the Telegram inbox answers again');
      recoveryFailing = false;
      for (const chatKey of chats) wake(chatKey);
    } catch (error) {
      if (!recoveryFailing) {
        logger.warn({ err: loggableError(error) }, 'could not look into the Telegram inbox');
      }
      recoveryFailing = true;
    }
  }

  const settledAll = async () => {
    while (runs.size > 0) await Promise.all([...runs.values()].map((run) => run.settled));
  };

  function recover(): Promise<void> {
    if (stopping) return Promise.resolve();
    recovering ??= recoverOnce().finally(() => {
      recovering = null;
    });
    return recovering;
  }

  return {
    async accept(updates) {
      const entries = updates.map((update) => ({
        updateId: update.update_id,
        chatKey: chatKeyOf(update),
        update,
      }));
      await inbox.add(entries);
      for (const chatKey of new Set(entries.map((entry) => entry.chatKey))) wake(chatKey);
    },
    start() {
      if (timer || stopping) return;
      void recover();
      timer = setInterval(() => void recover(), deps.recoverEveryMs ?? 2_000);
      timer.unref();
    },
    recover,
    async stop(timeoutMs) {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await recovering;
      let bound: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        bound = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([settledAll().then(() => true), late]);
      } finally {
        clearTimeout(bound);
      }
    },
    idle: settledAll,
    get busy() {
      return runs.size;
    },
  };
}
