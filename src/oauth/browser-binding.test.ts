import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bindingCookie, checkBinding, clearedCookie, cookiePath } from './browser-binding.ts';

describe('the OAuth browser binding', () => {
  it('scopes the cookie to the callback under the path PUBLIC_URL is served at', () => {
    expect([
      cookiePath('https://tidings.example.com'),
      cookiePath('https://example.com/tidings'),
      cookiePath('http://127.0.0.1:8080/apps/tidings/'),
    ]).toStrictEqual([
      '/oauth/google/callback',
      '/tidings/oauth/google/callback',
      '/apps/tidings/oauth/google/callback',
    ]);
    expect(clearedCookie('https://example.com/tidings')).toBe(
      'tidings_oauth=; Max-Age=0; Path=/tidings/oauth/google/callback; HttpOnly; SameSite=Lax; Secure',
    );
  });

  it('accepts only the cookie made for this state, signed with this key', () => {
    const key = randomBytes(32);
    const cookie = bindingCookie(key, 'state-a', 'http://127.0.0.1:1').split(';')[0]!;
    const forged = bindingCookie(randomBytes(32), 'state-a', 'http://127.0.0.1:1').split(';')[0]!;
    expect([
      checkBinding(key, cookie, 'state-a'),
      checkBinding(key, cookie, 'state-b'),
      checkBinding(key, forged, 'state-a'),
      checkBinding(key, undefined, 'state-a'),
      checkBinding(key, 'other=1', 'state-a'),
    ]).toStrictEqual(['ok', 'mismatch', 'mismatch', 'missing', 'missing']);
  });
});
