/**
 * Telegram's flood control for messages a bot sends: a token bucket per chat (a burst,
 * then the sustained per-chat rate) and one over all chats. A refused message gets the
 * number of seconds after which it would pass (`retry_after`). A rate of 0 disables that
 * limit.
 */
import type { SandboxSettings } from './types.ts';

export interface FloodControl {
  /** Takes one message's allowance; returns seconds to wait when over the limit. */
  take(chatId: number): number | undefined;
  reset(): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createFloodControl(
  settings: () => SandboxSettings,
  nowMs: () => number,
): FloodControl {
  const chats = new Map<number, Bucket>();
  let overall: Bucket | undefined;

  const refill = (bucket: Bucket | undefined, capacity: number, rate: number): Bucket => {
    const now = nowMs();
    if (!bucket) return { tokens: capacity, at: now };
    const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    return { tokens, at: now };
  };
  const wait = (bucket: Bucket, rate: number): number | undefined =>
    rate > 0 && bucket.tokens < 1 ? Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) : undefined;

  return {
    take(chatId) {
      const { floodLimitPerChat, burst, floodLimitGlobal } = settings();
      const chat = refill(chats.get(chatId), Math.max(1, burst), floodLimitPerChat);
      const all = refill(overall, Math.max(1, floodLimitGlobal), floodLimitGlobal);
      chats.set(chatId, chat);
      overall = all;
      const retry = Math.max(wait(chat, floodLimitPerChat) ?? 0, wait(all, floodLimitGlobal) ?? 0);
      if (retry > 0) return retry;
      if (floodLimitPerChat > 0) chat.tokens -= 1;
      if (floodLimitGlobal > 0) all.tokens -= 1;
      return undefined;
    },
    reset() {
      chats.clear();
      overall = undefined;
    },
  };
}
