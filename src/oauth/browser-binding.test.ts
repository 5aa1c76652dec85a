import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bindingCookies,
  checkBinding,
  clearedCookie,
  cookiePath,
  MAX_BINDINGS,
} from './browser-binding.ts';

const NOW = new Date('2026-03-03T14:00:00Z');
const pairOf = (setCookie: string) => setCookie.split(';')[0]!;

function bind(key: Buffer, state: string, cookieHeader?: string, now = NOW): string[] {
  return bindingCookies(key, state, { publicUrl: 'http://127.0.0.1:1', cookieHeader, now });
}

describe('the OAuth browser binding', () => {
  it('scopes the cookies to the connect routes under the path PUBLIC_URL is served at', () => {
    expect([
      cookiePath('https://tidings.example.com'),
      cookiePath('https://example.com/tidings'),
      cookiePath('http://127.0.0.1:8080/apps/tidings/'),
    ]).toStrictEqual(['/oauth/google', '/tidings/oauth/google', '/apps/tidings/oauth/google']);
    expect(clearedCookie('state-a', 'https://example.com/tidings')).toMatch(
      /^tidings_oauth_[\w-]{16}=; Max-Age=0; Path=\/tidings\/oauth\/google; HttpOnly; SameSite=Lax; Secure$/,
    );
  });

  it('accepts only the cookie made for this state, signed with this key', () => {
    const key = randomBytes(32);
    const cookie = pairOf(bind(key, 'state-a')[0]!);
    const forged = pairOf(bind(randomBytes(32), 'state-a')[0]!);
    const [name, value] = cookie.split('=') as [string, string];
    const [issuedAt, hash, signature] = value.split('.') as [string, string, string];
    const redated = `${name}=${Number(issuedAt) - 1}.${hash}.${signature}`;
    expect([
      checkBinding(key, cookie, 'state-a'),
      checkBinding(key, cookie, 'state-b'),
      checkBinding(key, forged, 'state-a'),
      checkBinding(key, redated, 'state-a'),
      checkBinding(key, undefined, 'state-a'),
      checkBinding(key, 'other=1', 'state-a'),
    ]).toStrictEqual(['ok', 'mismatch', 'mismatch', 'mismatch', 'missing', 'missing']);
  });

  it('gives each sign-in a cookie of its own, and clears only that one', () => {
    const key = randomBytes(32);
    const a = pairOf(bind(key, 'state-a')[0]!);
    const b = pairOf(bind(key, 'state-b', a)[0]!);
    const both = `${a}; ${b}`;
    expect({
      names: a.split('=')[0] !== b.split('=')[0],
      checks: [checkBinding(key, both, 'state-a'), checkBinding(key, both, 'state-b')],
      cleared: pairOf(clearedCookie('state-a', 'http://127.0.0.1:1')) === `${a.split('=')[0]}=`,
    }).toStrictEqual({ names: true, checks: ['ok', 'ok'], cleared: true });
  });

  it(`keeps at most ${MAX_BINDINGS} bindings, dropping the oldest first`, () => {
    const key = randomBytes(32);
    let header = '';
    const names: string[] = [];
    for (let i = 0; i < MAX_BINDINGS; i++) {
      const [cookie] = bind(key, `state-${i}`, header || undefined, new Date(NOW.getTime() + i));
      names.push(pairOf(cookie!).split('=')[0]!);
      header = [header, pairOf(cookie!)].filter(Boolean).join('; ');
    }
    const [fresh, ...dropped] = bind(key, 'state-new', header, new Date(NOW.getTime() + 10));
    expect({
      fresh: pairOf(fresh!).startsWith('tidings_oauth_'),
      dropped: dropped.map((line) => pairOf(line)),
    }).toStrictEqual({ fresh: true, dropped: [`${names[0]}=`] });
  });
});
