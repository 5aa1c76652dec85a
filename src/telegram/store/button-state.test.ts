import { describe, expect, it } from 'vitest';
import { createButtons } from './button-state.ts';

/** The database side of button state, in memory: kept per user, with expiry. */
function memoryStore(now: () => number) {
  const kept = new Map<string, { userId: string; value: unknown; until: number }>();
  return {
    kept,
    async keepButtonState(userId: string, value: unknown, ttlMs: number) {
      const key = `key${String(kept.size).padStart(7, '0')}`;
      kept.set(key, { userId, value, until: now() + ttlMs });
      return key;
    },
    async buttonState(userId: string, key: string) {
      const entry = kept.get(key);
      return entry && entry.userId === userId && entry.until > now() ? entry.value : null;
    },
  };
}

describe('button state', () => {
  it('keeps short values in the callback data and long ones in the store', async () => {
    const store = memoryStore(() => 0);
    const buttons = createButtons(store, 'alex', 1000);
    const long = 'x'.repeat(100);
    const packed = await buttons.pack('p', long);
    expect({
      short: await buttons.pack('o', '19cc8dba9c80003e'),
      packed,
      back: await buttons.unpack(packed),
      bare: await buttons.unpack('pd'),
      garbage: await buttons.unpack('🙂'),
      kept: store.kept.size,
    }).toStrictEqual({
      short: 'o:19cc8dba9c80003e',
      packed: 'p~key0000000',
      back: { action: 'p', value: long },
      bare: { action: 'pd', value: null },
      garbage: { action: '', value: null },
      kept: 1,
    });
  });

  it('answers a key that is unknown, expired or someone else’s as expired', async () => {
    let ms = 0;
    const store = memoryStore(() => ms);
    const alex = createButtons(store, 'alex', 1000);
    const packed = await alex.pack('o', 'y'.repeat(80));
    const page = await alex.keepPage({
      query: 'from:alice',
      label: 'mail from alice',
      pageToken: 'next-1',
      first: 6,
      back: null,
    });
    const sam = createButtons(store, 'sam', 1000);
    const foreign = [await sam.unpack(packed), await sam.page(page)];
    ms = 1000;
    expect({
      unknown: await alex.unpack('p~nothing123'),
      foreign,
      expired: [await alex.unpack(packed), await alex.page(page)],
    }).toStrictEqual({
      unknown: { action: 'p', expired: true },
      foreign: [{ action: 'o', expired: true }, null],
      expired: [{ action: 'o', expired: true }, null],
    });
  });

  it('reads back a kept page, and refuses kept state that is not a page', async () => {
    const store = memoryStore(() => 0);
    const buttons = createButtons(store, 'alex');
    const state = { query: 'in:inbox', label: 'your inbox', pageToken: null, first: 1, back: null };
    const key = await buttons.keepPage(state);
    const notAPage = await store.keepButtonState('alex', { first: 'one' }, 1000);
    expect([await buttons.page(key), await buttons.page(notAPage)]).toStrictEqual([state, null]);
  });
});
