import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramControl } from './control-client.ts';
import { startTelegramSandbox } from './index.ts';
import type { TelegramSandbox } from './index.ts';

const TOKEN = '434343:AAHsandboxTokenForLoginButtonTests_01';
const LOGIN = { text: 'Sign in', login_url: { url: 'https://tidings.example/start?ticket=T1' } };
let sandbox: TelegramSandbox;
let control: ReturnType<typeof createTelegramControl>;

async function send(chatId: number, button: Record<string, unknown>) {
  const response = await fetch(`${sandbox.url}/bot${TOKEN}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      chat_id: chatId,
      text: 'Connect',
      reply_markup: { inline_keyboard: [[button]] },
    }),
  });
  return (await response.json()) as {
    ok: boolean;
    description?: string;
    result?: { message_id: number };
  };
}

/** Checks `hash` as a site receiving Telegram's login data does. */
function verified(url: string, token = TOKEN): Record<string, string> | null {
  const fields = Object.fromEntries(new URL(url).searchParams);
  const { hash, ticket: _ticket, ...data } = fields;
  const checkString = Object.keys(data)
    .sort()
    .map((name) => `${name}=${data[name]}`)
    .join('\n');
  const key = createHash('sha256').update(token).digest();
  const expected = createHmac('sha256', key).update(checkString).digest('hex');
  return hash === expected ? data : null;
}

beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0, host: '127.0.0.1' });
  control = createTelegramControl(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('login buttons', () => {
  it('are refused with BOT_DOMAIN_INVALID unless their host is the linked domain', async () => {
    await control.write(11, 'hi', 'Kim');
    const unlinked = await send(11, LOGIN);
    await control.settings({ loginDomain: 'other.example' });
    const elsewhere = await send(11, LOGIN);
    await control.settings({ loginDomain: 'tidings.example' });
    const linked = await send(11, LOGIN);
    const malformed = await send(11, { text: 'Sign in', login_url: 'https://tidings.example' });
    expect({
      answers: [unlinked, elsewhere, malformed].map((a) => [a.ok, a.description]),
      linked: linked.ok,
      inbox: (await control.inbox(11)).map((m) => m.reply_markup),
    }).toStrictEqual({
      answers: [
        [false, 'Bad Request: BOT_DOMAIN_INVALID'],
        [false, 'Bad Request: BOT_DOMAIN_INVALID'],
        [
          false,
          'Bad Request: can\'t parse inline keyboard button: Field "url" must be of type String',
        ],
      ],
      linked: true,
      inbox: [{ inline_keyboard: [[LOGIN]] }],
    });
  });

  it("open the button's URL with the presser's data, signed with the bot's token", async () => {
    await control.settings({ loginDomain: 'tidings.example' });
    await control.write(12, 'hi', 'Kim', { username: 'kim_lee' });
    await control.write(13, 'hi', 'Mallory');
    const sent = await send(12, LOGIN);
    const messageId = sent.result!.message_id;
    const own = await control.openLoginUrl(12, messageId);
    const forwarded = await control.openLoginUrl(13, messageId, { chatId: 12 });
    const redirect = await fetch(
      `${sandbox.url}/__sandbox/users/12/login-url?message_id=${messageId}`,
      { redirect: 'manual' },
    );
    const date = expect.stringMatching(/^\d+$/);
    expect({
      own: verified(own.url),
      ticketKept: new URL(own.url).searchParams.get('ticket'),
      forwarded: verified(forwarded.url),
      otherBot: verified(own.url, '434344:AAHsandboxTokenForLoginButtonTests_01'),
      redirect: [
        redirect.status,
        redirect.headers.get('location')?.startsWith(LOGIN.login_url.url),
      ],
    }).toStrictEqual({
      own: { id: '12', first_name: 'Kim', username: 'kim_lee', auth_date: date },
      ticketKept: 'T1',
      forwarded: { id: '13', first_name: 'Mallory', auth_date: date },
      otherBot: null,
      redirect: [302, true],
    });
  });

  it('answer 404 for a message without a login button', async () => {
    await control.write(14, 'hi', 'Kim');
    const sent = await send(14, { text: 'Plain', url: 'https://tidings.example/' });
    await expect(control.openLoginUrl(14, sent.result!.message_id)).rejects.toMatchObject({
      status: 404,
    });
  });
});
