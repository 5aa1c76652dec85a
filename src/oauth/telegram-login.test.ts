import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTelegramLogin } from './telegram-login.ts';

const TOKEN = '7001:AATidingsLoginTests_abcdefghijklmnop';
const NOW = new Date('2026-03-03T14:00:00Z');
const AUTH_DATE = String(NOW.getTime() / 1000 - 30);

/** Signed as Telegram documents it, written out here rather than shared with the code. */
function signed(fields: Record<string, string>, token = TOKEN): Record<string, string> {
  const lines = Object.entries(fields)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`);
  const key = createHash('sha256').update(token).digest();
  const hash = createHmac('sha256', key).update(lines.join('\n')).digest('hex');
  return { ...fields, hash };
}

function check(source: Record<string, unknown>, options: { botToken?: string | null } = {}) {
  return checkTelegramLogin({
    botToken: options.botToken === undefined ? TOKEN : options.botToken,
    source,
    expectedUserId: '1001',
    now: NOW,
    maxAgeMs: 10 * 60_000,
  });
}

describe("Telegram's login data on a chat-issued connect link", () => {
  const alex = { id: '1001', first_name: 'Alex', username: 'alex_r', auth_date: AUTH_DATE };

  it('accepts the data Telegram signed for the user the link was made for', () => {
    const fields = signed(alex);
    expect(check({ ticket: 'T'.repeat(43), ...fields })).toStrictEqual({
      ok: true,
      login: { telegramUserId: '1001', fields },
    });
  });

  it('refuses another user, a changed field, another bot, a stale press, and no data', () => {
    const problems = [
      check(signed({ ...alex, id: '2002' })),
      check({ ...signed(alex), first_name: 'Mallory' }),
      check(signed(alex, '7002:AAAnotherBotEntirely_abcdefghijklmn')),
      check(signed({ ...alex, auth_date: String(NOW.getTime() / 1000 - 11 * 60) })),
      check(signed({ ...alex, auth_date: String(NOW.getTime() / 1000 + 5 * 60) })),
      check({ ticket: 'T'.repeat(43) }),
      check(signed(alex), { botToken: null }),
      check({ ...signed(alex), id: ['1001', '1001'] }),
    ];
    expect(problems.map((p) => (p.ok ? 'ok' : p.problem))).toStrictEqual([
      'other_user',
      'invalid',
      'invalid',
      'stale',
      'stale',
      'missing',
      'invalid',
      'invalid',
    ]);
  });
});
