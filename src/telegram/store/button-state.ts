/**
 * What inline buttons stand for. Callback data is `<action>:<value>` when that fits
 * Telegram's 64 bytes, else `<action>~<key>` with the value kept in the database for this
 * user (`telegram-store.ts`); pages of mail results are always kept there, since a query
 * and a page token do not fit. Any instance can answer any button, and a button whose
 * state has expired, or that belongs to someone else, unpacks as expired.
 */
import { z } from 'zod';
import type { TelegramStore } from './telegram-store.ts';

export const CALLBACK_DATA_LIMIT = 64;
/** How long a button's kept state lasts (Telegram keeps a chat's buttons much longer). */
export const BUTTON_STATE_TTL_MS = 7 * 86_400_000;

/** A page of mail results. */
export interface MailPageState {
  query: string;
  label: string;
  pageToken: string | null;
  /** Number of the first result on the page. */
  first: number;
  /** Key of the previous page. */
  back: string | null;
  /** Shown as the unread list: sender, subject and age, no snippet. */
  unread?: boolean;
}

const MailPage = z.object({
  query: z.string(),
  label: z.string(),
  pageToken: z.string().nullable(),
  first: z.number().int().positive(),
  back: z.string().nullable(),
  unread: z.boolean().optional(),
});

export type Unpacked =
  | { action: string; value: string }
  | { action: string; expired: true }
  | { action: string; value: null };

export interface Buttons {
  pack(action: string, value?: string): Promise<string>;
  unpack(data: string): Promise<Unpacked>;
  /** Keeps a page of results; answers the key a `p` button carries. */
  keepPage(page: MailPageState): Promise<string>;
  /** The page behind a key; null when it has expired or is not this user's. */
  page(key: string): Promise<MailPageState | null>;
}

type Store = Pick<TelegramStore, 'keepButtonState' | 'buttonState'>;

export function createButtons(
  store: Store,
  userId: string,
  ttlMs: number = BUTTON_STATE_TTL_MS,
): Buttons {
  return {
    async pack(action, value) {
      if (value === undefined) return action;
      const inline = `${action}:${value}`;
      if (Buffer.byteLength(inline) <= CALLBACK_DATA_LIMIT) return inline;
      return `${action}~${await store.keepButtonState(userId, value, ttlMs)}`;
    },
    async unpack(data) {
      const match = /^([a-z]+)(?:([:~])([\s\S]*))?$/.exec(data);
      if (!match?.[1]) return { action: '', value: null };
      const [, action, separator, rest = ''] = match;
      if (separator === ':') return { action, value: rest };
      if (separator === '~') {
        const value = await store.buttonState(userId, rest);
        return typeof value === 'string' ? { action, value } : { action, expired: true };
      }
      return { action, value: null };
    },
    keepPage: (page) => store.keepButtonState(userId, page, ttlMs),
    async page(key) {
      const parsed = MailPage.safeParse(await store.buttonState(userId, key));
      if (!parsed.success) return null;
      const { unread, ...page } = parsed.data;
      return unread ? { ...page, unread } : page;
    },
  };
}
