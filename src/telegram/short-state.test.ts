import { describe, expect, it } from 'vitest';
import { createCallbackData } from './callback-data.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createShortState } from './short-state.ts';

describe('button state', () => {
  it('keeps short values in the callback data and long ones server-side', () => {
    const now = () => new Date(0);
    const data = createCallbackData(createShortState<string>({ max: 10, ttlMs: 1000, now }));
    const long = 'x'.repeat(100);
    const packed = data.pack('p', long);
    expect({
      short: data.pack('o', '19cc8dba9c80003e'),
      bytes: Buffer.byteLength(packed) <= 64,
      back: data.unpack(packed),
      bare: data.unpack('pd'),
    }).toStrictEqual({
      short: 'o:19cc8dba9c80003e',
      bytes: true,
      back: { action: 'p', value: long },
      bare: { action: 'pd', value: null },
    });
  });

  it('forgets entries after their time and beyond the bound', () => {
    let ms = 0;
    const store = createShortState<string>({ max: 2, ttlMs: 1000, now: () => new Date(ms) });
    const a = store.put('a');
    const b = store.put('b');
    const c = store.put('c');
    const evicted = store.get(a);
    ms = 1000;
    expect({ evicted, b: store.get(b), c: store.get(c), size: store.size }).toStrictEqual({
      evicted: undefined,
      b: undefined,
      c: undefined,
      size: 0,
    });
  });

  it('answers an unknown key as expired', () => {
    const data = createCallbackData(
      createShortState<string>({ max: 10, ttlMs: 1000, now: () => new Date(0) }),
    );
    expect(data.unpack('p~nothing123')).toStrictEqual({ action: 'p', expired: true });
  });
});

describe('rate limit', () => {
  it('allows the limit, tells once, stays quiet, and allows again after the window', () => {
    let ms = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => new Date(ms) });
    const first = [1, 2, 3, 4].map(() => limiter.check('u'));
    const other = limiter.check('v');
    ms = 60_001;
    expect({ first, other, later: limiter.check('u') }).toStrictEqual({
      first: ['allow', 'allow', 'limit_notify', 'limit_quiet'],
      other: 'allow',
      later: 'allow',
    });
  });
});
