/**
 * Telegram's flood control for messages a bot sends: a token bucket per chat (a burst,
 * then the sustained per-chat rate) and one over all chats. A refused message gets the
 * number of seconds after which it would pass (`retry_after`). A rate of 0 disables that
 * limit.
 *
 * Also the injected faults (`/__sandbox/faults`): chosen Bot API methods refused with a 429
 * (`retry_after`) or a 5xx at a fixed rate per chat — every `1/rate`-th call of a chat,
 * spread evenly, so the same run meets the same faults — before the method does anything.
 * Faults are tried in the order they were added; a call meets at most one.
 */
import type { SandboxSettings } from './types.ts';

export interface InjectedFault {
  /** Bot API method names, as Telegram spells them (matched case-insensitively). */
  methods: string[];
  /** 429, or a 5xx. */
  status: number;
  /** The share of a chat's calls to these methods that fail, 0 < rate ≤ 1. */
  rate: number;
  /** For 429: the `retry_after` seconds answered. */
  retryAfter: number | null;
  /** How many more calls it may fail; null: no limit. */
  remaining: number | null;
}

/** Telegram's answer to a call that met a fault. */
export interface FaultAnswer {
  errorCode: number;
  description: string;
  retryAfter?: number;
}

export interface FloodControl {
  /** Takes one message's allowance; returns seconds to wait when over the limit. */
  take(chatId: number): number | undefined;
  /** Resets the flood buckets (not the injected faults). */
  reset(): void;
  addFault(fault: InjectedFault): void;
  faults(): readonly InjectedFault[];
  /** Removes every injected fault and its counts. */
  clearFaults(): void;
  /** The fault a call of `method` for `chatId` meets, if any (counted). */
  fault(method: string, chatId: number): FaultAnswer | undefined;
  /** Calls refused by an injected fault, by method. */
  faulted(): Record<string, number>;
}

const SERVER_ERRORS: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function answerOf(fault: InjectedFault): FaultAnswer {
  if (fault.status === 429) {
    const retryAfter = fault.retryAfter ?? 1;
    return {
      errorCode: 429,
      description: `Too Many Requests: retry after ${retryAfter}`,
      retryAfter,
    };
  }
  return { errorCode: fault.status, description: SERVER_ERRORS[fault.status] ?? 'Server Error' };
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
  let injected: Array<{ fault: InjectedFault; calls: Map<number, number> }> = [];
  let faulted: Record<string, number> = {};

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
    addFault(fault) {
      injected.push({ fault: { ...fault, methods: [...fault.methods] }, calls: new Map() });
    },
    faults: () => injected.map((entry) => entry.fault),
    clearFaults() {
      injected = [];
      faulted = {};
    },
    fault(method, chatId) {
      const name = method.toLowerCase();
      for (const { fault, calls } of injected) {
        if (!fault.methods.some((m) => m.toLowerCase() === name)) continue;
        if (fault.remaining !== null && fault.remaining <= 0) continue;
        const n = calls.get(chatId) ?? 0;
        calls.set(chatId, n + 1);
        // The (n+1)-th call fails when it takes the count of failures due past a whole number.
        if (Math.floor((n + 1) * fault.rate) === Math.floor(n * fault.rate)) continue;
        if (fault.remaining !== null) fault.remaining -= 1;
        faulted[method] = (faulted[method] ?? 0) + 1;
        return answerOf(fault);
      }
      return undefined;
    },
    faulted: () => ({ ...faulted }),
  };
}
