/**
 * Callback data for inline buttons: `<action>:<value>` when it fits Telegram's 64 bytes,
 * else `<action>~<key>` with the value kept server-side (`ShortState`). Unpacking a key
 * that has been evicted or has expired says so, and the bot answers politely.
 */
import type { ShortState } from './short-state.ts';

export const CALLBACK_DATA_LIMIT = 64;

export type Unpacked =
  | { action: string; value: string }
  | { action: string; expired: true }
  | { action: string; value: null };

export interface CallbackData {
  pack(action: string, value?: string): string;
  unpack(data: string): Unpacked;
}

export function createCallbackData(store: ShortState<string>): CallbackData {
  return {
    pack(action, value) {
      if (value === undefined) return action;
      const inline = `${action}:${value}`;
      if (Buffer.byteLength(inline) <= CALLBACK_DATA_LIMIT) return inline;
      return `${action}~${store.put(value)}`;
    },
    unpack(data) {
      const match = /^([a-z]+)(?:([:~])([\s\S]*))?$/.exec(data);
      if (!match?.[1]) return { action: '', value: null };
      const [, action, separator, rest = ''] = match;
      if (separator === ':') return { action, value: rest };
      if (separator === '~') {
        const value = store.get(rest);
        return value === undefined ? { action, expired: true } : { action, value };
      }
      return { action, value: null };
    },
  };
}
