/**
 * Where updates enter the bot, whoever delivered them (webhook or polling): each is checked
 * for a shape the bot can read (`update-shape.ts`; any other is ignored with a debug line
 * naming only its id and why), then kept in the inbox every instance shares and answered
 * from there (`inbox-worker.ts`). Receiving resolves once the update is kept and rejects,
 * having logged why, when it could not be; its sender then delivers it again.
 *
 * A store without an inbox (one kept in memory) leaves updates in this process: they are
 * answered in the order received per chat (`chat-queue.ts`), and lost if it stops.
 */
import type { Update } from 'grammy/types';
import type { Logger } from '../../log.ts';
import { chatKeyOf, createChatQueue } from './chat-queue.ts';
import { createInboxWorker, type UpdateInbox } from './inbox-worker.ts';
import { loggableError } from './loggable-error.ts';
import { checkUpdate } from './update-shape.ts';

export interface UpdateIntake {
  /** Keeps one update to answer in the background; rejects when it could not be kept. */
  receive(update: Update): Promise<void>;
  /** Keeps a batch (in one statement) to answer in the background. */
  deliver(updates: readonly unknown[]): Promise<void>;
  /** Answers one update completely, now; throws what answering it threw. */
  handle(update: unknown): Promise<void>;
  /** Starts answering what the inbox holds (left by a process that stopped or died). */
  start(): void;
  /** Takes nothing new; waits, at most `timeoutMs`, for the updates being answered. */
  stop(timeoutMs: number): Promise<void>;
  /** Resolves once nothing is being answered here. */
  idle(): Promise<void>;
}

export interface UpdateIntakeDeps {
  inbox: UpdateInbox | null;
  /** Answers one readable update completely. */
  answer: (update: Update) => Promise<void>;
  /** Whether a failure should be tried again later (the database was away). */
  retryable: (error: unknown) => boolean;
  logger: Logger;
}

export function createUpdateIntake(deps: UpdateIntakeDeps): UpdateIntake {
  const { logger } = deps;
  /** The update to answer, or null (logged at debug, without its content) to ignore. */
  const readable = (update: unknown): Update | null => {
    const checked = checkUpdate(update);
    if (checked.ok) return checked.update;
    logger.debug(
      { updateId: checked.updateId, reason: checked.reason },
      'ignored a Telegram update the bot cannot read',
    );
    return null;
  };
  const handle = async (update: unknown) => {
    const checked = readable(update);
    if (checked) await deps.answer(checked);
  };
  const keep = (updates: readonly unknown[]): Update[] =>
    updates.map(readable).filter((update): update is Update => update !== null);

  if (!deps.inbox) {
    const queue = createChatQueue((error, key) =>
      logger.error({ err: loggableError(error), chat: key }, 'telegram update failed'),
    );
    const run = (update: Update) => void queue.run(chatKeyOf(update), () => deps.answer(update));
    return {
      async receive(update) {
        keep([update]).forEach(run);
      },
      async deliver(updates) {
        keep(updates).forEach(run);
      },
      handle,
      start() {},
      async stop(timeoutMs) {
        if (!(await queue.idle(timeoutMs))) {
          logger.warn({ chats: queue.size }, 'stopped before every Telegram update was answered');
        }
      },
      idle: async () => {
        await queue.idle();
      },
    };
  }

  const worker = createInboxWorker({
    inbox: deps.inbox,
    answer: handle,
    retryable: deps.retryable,
    logger,
  });
  const accept = async (updates: Update[]) => {
    if (updates.length === 0) return;
    try {
      await worker.accept(updates);
    } catch (error) {
      logger.error(
        { err: loggableError(error), updates: updates.length },
        'could not keep Telegram updates; they will be delivered again',
      );
      throw error;
    }
  };
  return {
    receive: (update) => accept(keep([update])),
    deliver: (updates) => accept(keep(updates)),
    handle,
    start: () => worker.start(),
    async stop(timeoutMs) {
      if (!(await worker.stop(timeoutMs))) {
        logger.warn({ chats: worker.busy }, 'stopped before every Telegram update was answered');
      }
    },
    idle: () => worker.idle(),
  };
}
