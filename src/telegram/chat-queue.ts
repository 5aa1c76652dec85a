/**
 * Runs work in order per chat and concurrently across chats: an update for one chat waits
 * for the previous update of that chat, never for other people's slow Google calls.
 */
import type { Update } from 'grammy/types';

export interface ChatQueue {
  /** Queues `task` behind earlier tasks of the same key; never rejects. */
  run(key: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when every queued task has settled. */
  idle(): Promise<void>;
}

export function createChatQueue(onError: (error: unknown) => void): ChatQueue {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const current = previous.then(task).catch(onError);
      tails.set(key, current);
      void current.then(() => {
        if (tails.get(key) === current) tails.delete(key);
      });
      return current;
    },
    async idle() {
      while (tails.size > 0) await Promise.all(tails.values());
    },
  };
}

/** The chat an update belongs to (the sender for updates without a chat). */
export function chatKeyOf(update: Update): string {
  const chat =
    update.message?.chat.id ??
    update.edited_message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.callback_query?.from.id ??
    update.my_chat_member?.chat.id;
  return chat === undefined ? 'other' : String(chat);
}
