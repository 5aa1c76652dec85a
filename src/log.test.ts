import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TidingsError } from './errors.ts';
import { createLogger, redactUrl } from './log.ts';

const BOT_TOKEN = '7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const ACCESS = 'ya29.a0AfH6SMBx3kqLq-sandbox_access_token.42';
const REFRESH = '1//0gLq-sandbox-refresh-token_value';
const CODE = '4/0AX4XfWhSandboxAuthorizationCode-value_123';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  );
  const strip = ({ level, time, pid, hostname, service, ...rest }: Record<string, unknown>) => rest;
  return { logger, lines: () => lines.map(strip) };
}

describe('the logger', () => {
  it('censors secret-named fields at any depth', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        ctx: { api: { token: BOT_TOKEN, config: { nested: { refresh_token: 'r', Secret: 's' } } } },
        headers: [{ authorization: 'Bearer k' }],
      },
      'deep',
    );
    expect(lines()).toStrictEqual([
      {
        ctx: {
          api: {
            token: '[redacted]',
            config: { nested: { refresh_token: '[redacted]', Secret: '[redacted]' } },
          },
        },
        headers: [{ authorization: '[redacted]' }],
        msg: 'deep',
      },
    ]);
  });

  it('censors strings shaped like a bot token, a Google token or an authorization code', () => {
    const { logger, lines } = capture();
    logger.warn(
      { url: `https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`, seen: [ACCESS, REFRESH] },
      `exchanged ${CODE} for ${ACCESS}`,
    );
    expect(lines()).toStrictEqual([
      {
        url: 'https://api.telegram.org/bot[redacted]/sendMessage',
        seen: ['[redacted]', '[redacted]'],
        msg: 'exchanged [redacted] for [redacted]',
      },
    ]);
  });

  it('keeps numeric and stable error codes, which are not OAuth codes', () => {
    const { logger, lines } = capture();
    logger.warn({ err: { error_code: 429, code: 429 }, code: 'not_connected' }, 'codes');
    logger.warn({ query: { code: CODE } }, 'oauth');
    expect(lines()).toStrictEqual([
      { err: { error_code: 429, code: 429 }, code: 'not_connected', msg: 'codes' },
      { query: { code: '[redacted]' }, msg: 'oauth' },
    ]);
  });

  it('logs an error as its type, message, codes and stack, never its attached payload', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error(`refresh of ${REFRESH} failed`), {
      code: 'ECONNRESET',
      payload: { text: 'the mail a reply quoted' },
      ctx: { update: { message: { text: 'what the person wrote' } } },
    });
    const wrapped = new TidingsError(
      'reauth_required',
      'reconnect',
      { reason: 'revoked' },
      {
        cause: error,
      },
    );
    logger.error({ err: wrapped }, 'failed');
    const [line] = lines();
    const err = line?.err as Record<string, unknown>;
    const cause = err.cause as Record<string, unknown>;
    expect({
      err: { ...err, stack: typeof err.stack, cause: { ...cause, stack: typeof cause.stack } },
      leaked: JSON.stringify(line).includes(REFRESH.slice(3)),
    }).toStrictEqual({
      err: {
        type: 'TidingsError',
        message: 'reconnect',
        code: 'reauth_required',
        details: { reason: 'revoked' },
        stack: 'string',
        cause: {
          type: 'Error',
          message: 'refresh of [redacted] failed',
          code: 'ECONNRESET',
          stack: 'string',
        },
      },
      leaked: false,
    });
  });

  it('logs an error given as the only argument the same way', () => {
    const { logger, lines } = capture();
    logger.error(Object.assign(new Error(`bot ${BOT_TOKEN} refused`), { token: BOT_TOKEN }));
    const [line] = lines();
    expect({
      message: (line?.err as { message?: string } | undefined)?.message,
      msg: line?.msg,
    }).toStrictEqual({
      message: 'bot [redacted] refused',
      msg: 'bot [redacted] refused',
    });
  });

  it('cuts cycles', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info({ loop }, 'cycle');
    expect(lines()).toStrictEqual([{ loop: { name: 'loop', self: '[circular]' }, msg: 'cycle' }]);
  });
});

describe('redactUrl', () => {
  it('hides secret query values and the bot token in a path', () => {
    expect([
      redactUrl(`/oauth/google/callback?state=abc&code=${CODE}&scope=email`),
      redactUrl(`/bot${BOT_TOKEN}/getUpdates?offset=4`),
    ]).toStrictEqual([
      '/oauth/google/callback?state=[redacted]&code=[redacted]&scope=email',
      '/bot[redacted]/getUpdates?offset=4',
    ]);
  });

  it('hides Gmail queries and other written text', () => {
    expect([
      redactUrl('/v1/gmail/messages?q=from%3Aanna+invoice&pageSize=10'),
      redactUrl('/v1/gmail/messages?Q=secret+plans'),
      redactUrl('/search?query=x&search=y&text=z&subject=s&body=b&message=m'),
    ]).toStrictEqual([
      '/v1/gmail/messages?q=[redacted]&pageSize=10',
      '/v1/gmail/messages?Q=[redacted]',
      '/search?query=[redacted]&search=[redacted]&text=[redacted]&subject=[redacted]&body=[redacted]&message=[redacted]',
    ]);
  });

  it('hides page tokens and cursors in every spelling', () => {
    expect(
      redactUrl(
        '/v1/gmail/messages?pageToken=07a1b2&page_token=x&cursor=c&nextPageToken=n&page%54oken=e&pageSize=5',
      ),
    ).toBe(
      '/v1/gmail/messages?pageToken=[redacted]&page_token=[redacted]&cursor=[redacted]&nextPageToken=[redacted]&page%54oken=[redacted]&pageSize=5',
    );
  });

  it('hides any query value holding an e-mail address, written or percent-encoded', () => {
    expect([
      redactUrl('/v1/gmail/unread?connection=alex@example.com'),
      redactUrl('/v1/calendar/agenda?day=2026-03-10&connection=alex%40example.com'),
      redactUrl('/x?from=Alex%20%3Calex%40example.com%3E&to=2026-03-11'),
      redactUrl('/x?alex%40example.com'),
    ]).toStrictEqual([
      '/v1/gmail/unread?connection=[redacted]',
      '/v1/calendar/agenda?day=2026-03-10&connection=[redacted]',
      '/x?from=[redacted]&to=2026-03-11',
      '/x?[redacted]',
    ]);
  });

  it('keeps connection ids, dates, numbers and empty values', () => {
    const url =
      '/v1/calendar/freebusy?connection=c_01J9Z&from=2026-03-10T09:00&to=2026-03-10&minMinutes=30&q=';
    expect(redactUrl(url)).toBe(url);
  });

  it('hides the names Telegram adds to a connect link', () => {
    expect(
      redactUrl(
        '/connect?ticket=t&id=7101&first_name=Alex&last_name=Doe&username=alexd&photo_url=https%3A%2F%2Fx&auth_date=1&hash=ab',
      ),
    ).toBe(
      '/connect?ticket=[redacted]&id=7101&first_name=[redacted]&last_name=[redacted]&username=[redacted]&photo_url=[redacted]&auth_date=1&hash=[redacted]',
    );
  });

  it('leaves a path without a query alone, and drops a fragment', () => {
    expect([redactUrl('/v1/gmail/messages/18c2'), redactUrl('/a?b=1#q=secret')]).toStrictEqual([
      '/v1/gmail/messages/18c2',
      '/a?b=1',
    ]);
  });

  it('logs a request line with the query redacted', () => {
    const { logger, lines } = capture();
    logger.info(
      { req: { id: 'r1', method: 'GET', url: '/v1/gmail/messages?q=tax+return&pageToken=p1' } },
      'incoming request',
    );
    expect(lines()).toStrictEqual([
      {
        req: {
          id: 'r1',
          method: 'GET',
          url: '/v1/gmail/messages?q=[redacted]&pageToken=[redacted]',
        },
        msg: 'incoming request',
      },
    ]);
  });
});
