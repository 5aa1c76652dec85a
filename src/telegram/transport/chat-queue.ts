/**
 * Runs work in order per chat and concurrently across chats: an update for one chat waits
 * for the previous update of that chat, never for other people's slow Google calls. The
 * order is this process's: with several instances behind a webhook, each keeps its own.
 */
import type { Update } from 'grammy/types';

export interface ChatQueue {
  /** Queues `task` behind earlier tasks of the same key; never rejects. */
  run(key: string, task: () => Promise<void>): Promise<void>;
  /**
   * Resolves true when every queued task has settled, or false when `timeoutMs` passes
   * first (without a timeout it waits as long as it takes).
   */
  idle(timeoutMs?: number): Promise<boolean>;
  /** How many keys have work queued or running. */
  readonly size: number;
}

export function createChatQueue(onError: (error: unknown, key: string) => void): ChatQueue {
  const tails = new Map<string, Promise<void>>();
  const settled = async () => {
    while (tails.size > 0) await Promise.all(tails.values());
    return true;
  };
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const current = previous.then(task).catch((error: unknown) => onError(error, key));
      tails.set(key, current);
      void current.then(() => {
        if (tails.get(key) === current) tails.delete(key);
      });
      return current;
    },
    async idle(timeoutMs) {
      if (timeoutMs === undefined) return settled();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([settled(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    get size() {
      return tails.size;
    },
  };
}

/** The chat an update belongs to (the sender for updates without a chat); never throws. */
export function chatKeyOf(update: Update): string {
  const idOf = (holder: unknown): unknown =>
    typeof holder === 'object' && holder !== null ? (holder as { id?: unknown }).id : undefined;
  const chat = [
    idOf(update.message?.chat),
    idOf(update.edited_message?.chat),
    idOf(update.callback_query?.message?.chat),
    idOf(update.callback_query?.from),
    idOf(update.my_chat_member?.chat),
  ].find((id) => typeof id === 'number' || typeof id === 'string');
  return chat === undefined ? 'other' : String(chat);
}
