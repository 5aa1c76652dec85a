import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

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
