import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type RuntimeFixture, startRuntimeFixture } from './runtime-api.harness.ts';

/** [request, expected status, code, field]. */
type Case = readonly [string, number, string | null, string | null];

const GET_CASES: readonly Case[] = [
  [`/v1/gmail/messages?q=${'a'.repeat(100_000)}`, 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?pageSize=1e9', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=abc', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=-1', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=1.5', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=NaN', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=Infinity', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageSize=2&pageSize=3', 400, 'invalid_request', 'pageSize'],
  ['/v1/gmail/messages?pageToken=', 400, 'invalid_request', 'pageToken'],
  ['/v1/gmail/messages?foo=1', 400, 'invalid_request', 'foo'],
  ['/v1/gmail/messages?__proto__[polluted]=1', 400, 'invalid_request', '__proto__[polluted]'],
  ['/v1/gmail/messages?constructor=1', 400, 'invalid_request', 'constructor'],
  ['/v1/gmail/messages?query=direct', 400, 'invalid_request', 'query'],
  [`/v1/gmail/messages?q=${encodeURIComponent("' OR 1=1; DROP TABLE users; --")}`, 200, null, null],
  [`/v1/gmail/messages?q=${encodeURIComponent('<script>alert(1)</script>')}`, 200, null, null],
  [`/v1/gmail/messages?q=${encodeURIComponent('{{7*7}} $(id) %s %n')}`, 200, null, null],
  ['/v1/gmail/messages/..%2F..%2Fetc%2Fpasswd', 400, 'invalid_request', 'id'],
  ['/v1/gmail/messages/abc%00def', 400, 'invalid_request', 'id'],
  ['/v1/gmail/messages/%F0%9F%92%A5', 400, 'invalid_request', 'id'],
  [`/v1/gmail/messages/${'a'.repeat(200)}`, 400, 'invalid_request', 'id'],
  ['/v1/gmail/messages/zz', 400, 'invalid_request', 'id'],
  ['/v1/gmail/messages/%E0%A4%A', 400, 'invalid_request', 'path'],
  ['/v1/gmail/messages/%', 400, 'invalid_request', 'path'],
  ['/v1/gmail/threads/%C0%AF', 400, 'invalid_request', 'path'],
  ['/v1/gmail/messages/abc?messageId=def', 400, 'invalid_request', 'messageId'],
  ['/v1/gmail/messages/abc?maxChars=1e9', 400, 'invalid_request', 'maxChars'],
  ['/v1/gmail/threads/%3Brm%20-rf%20%2F', 400, 'invalid_request', 'id'],
  ['/v1/gmail/unread?x=1', 400, 'invalid_request', 'x'],
  ['/v1/calendar/agenda', 400, 'invalid_request', 'from'],
  ['/v1/calendar/agenda?from=not-a-date&to=2026-03-11', 400, 'invalid_request', 'from'],
  ['/v1/calendar/agenda?day=2026-02-30', 400, 'invalid_request', 'day'],
  ['/v1/calendar/agenda?day=2026-03-10&from=2026-03-10', 400, 'invalid_request', 'day'],
  ['/v1/calendar/agenda?from=2026-01-01&to=2027-01-01', 400, 'invalid_request', 'to'],
  ['/v1/calendar/agenda?from=2026-03-11&to=2026-03-10T00:00', 400, 'invalid_request', 'to'],
  [`/v1/calendar/agenda?from=${'9'.repeat(5000)}&to=2026-03-10`, 400, 'invalid_request', 'from'],
  ['/v1/calendar/freebusy?workingHours[start]=25:00', 400, 'invalid_request', 'workingHours.start'],
  ['/v1/calendar/freebusy?workingHours[evil]=1', 400, 'invalid_request', 'workingHours[evil]'],
  ['/v1/calendar/freebusy?workingHours=09:00-17:00', 400, 'invalid_request', 'workingHours'],
  [
    '/v1/calendar/freebusy?workingHours[start]=09:00&workingHours[end]=08:00',
    400,
    'invalid_request',
    'workingHours.end',
  ],
  ['/v1/calendar/freebusy?includeWeekends=maybe', 400, 'invalid_request', 'includeWeekends'],
  ['/v1/calendar/freebusy?minMinutes=1e308', 400, 'invalid_request', 'minMinutes'],
  ['/v1/calendar/freebusy?at=yesterday', 400, 'invalid_request', 'at'],
  ['/v1/calendar/agenda?from=9999-12-30&to=9999-12-31', 400, 'invalid_request', 'from'],
  ['/v1/calendar/agenda?day=1969-12-31', 400, 'invalid_request', 'day'],
  ['/v1/calendar/agenda?from=2026-03-10&to=2101-01-01', 400, 'invalid_request', 'to'],
  [
    `/v1/calendar/agenda?from=${encodeURIComponent('+275760-09-13T00:00:00Z')}&to=2026-03-10`,
    400,
    'invalid_request',
    'from',
  ],
  ['/v1/calendar/agenda?from=-000001-01-01&to=2026-03-10', 400, 'invalid_request', 'from'],
  ['/v1/calendar/agenda?from=2026-W10-3&to=2026-03-10', 400, 'invalid_request', 'from'],
  ['/v1/calendar/agenda?from=2026-069&to=2026-03-10', 400, 'invalid_request', 'from'],
  ['/v1/calendar/agenda?from=20260310&to=2026-03-11', 400, 'invalid_request', 'from'],
  ['/v1/calendar/freebusy?at=2026-W10-3T10:00', 400, 'invalid_request', 'at'],
  ['/v1/calendar/freebusy?from=9999-12-30T10:00:00Z', 400, 'invalid_request', 'from'],
  ['/v1/calendar/next?limit=3', 400, 'invalid_request', 'limit'],
  ['/v1/actions?days=31', 400, 'invalid_request', 'days'],
  ['/v1/actions?limit=0x10', 400, 'invalid_request', 'limit'],
  ['/v1/gmail/unread?connection=', 400, 'invalid_request', 'connection'],
  [`/v1/gmail/unread?connection=${'c'.repeat(400)}`, 400, 'invalid_request', 'connection'],
  [`/v1/gmail/unread?connection=${encodeURIComponent("' OR ''='")}`, 404, 'not_found', null],
  ['/v1/gmail/unread?connection=a&connection=b', 400, 'invalid_request', 'connection'],
  ['/v1/nothing-here', 404, 'not_found', null],
  ['/v1/connections?connection=alex@example.com', 400, 'invalid_request', 'connection'],
  ['/v1/connections?limit=1', 400, 'invalid_request', 'limit'],
  ['/v1/openapi.json?x=1', 400, 'invalid_request', 'x'],
  ['/v1/gmail/messages?q=%E0%A4%A', 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?q=%ZZ', 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?q=%ED%A0%80', 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?q=%uD800', 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?q=%FF%FE', 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?q=%C0%AF', 400, 'invalid_request', 'q'],
  ['/v1/gmail/messages?q=ok&pageToken=%', 400, 'invalid_request', 'pageToken'],
  ['/v1/gmail/messages?%ZZ=1', 400, 'invalid_request', '%ZZ'],
  ['/v1/gmail/messages/abc?maxChars=%F0%9F', 400, 'invalid_request', 'maxChars'],
  ['/v1/gmail/threads/abc?maxChars=1%', 400, 'invalid_request', 'maxChars'],
  ['/v1/gmail/unread?connection=%E0%A4%A', 400, 'invalid_request', 'connection'],
  ['/v1/calendar/agenda?day=%ED%B0%80', 400, 'invalid_request', 'day'],
  ['/v1/calendar/freebusy?workingHours[start]=%G0', 400, 'invalid_request', 'workingHours[start]'],
  ['/v1/calendar/next?x=%E0', 400, 'invalid_request', 'x'],
  ['/v1/actions?days=%37%', 400, 'invalid_request', 'days'],
  ['/v1/connections?x=%ZZ', 400, 'invalid_request', 'x'],
  ['/v1/openapi.json?v=%E0%A4%A', 400, 'invalid_request', 'v'],
  ['/v1/docs?v=%E0%A4%A', 400, 'invalid_request', 'v'],
  [`/v1/gmail/messages?q=${encodeURIComponent('naïve 💥 你好')}`, 200, null, null],
];

const POST_CASES: ReadonlyArray<readonly [string, string, string, number, string, string | null]> =
  [
    ['not json', 'application/json', 'broken JSON', 400, 'invalid_request', null],
    ['[]', 'application/json', 'an array', 400, 'invalid_request', 'input'],
    ['{"connection":5}', 'application/json', 'a wrong type', 400, 'invalid_request', 'connection'],
    [
      '{"connection":""}',
      'application/json',
      'an empty value',
      400,
      'invalid_request',
      'connection',
    ],
    ['{"extra":true}', 'application/json', 'an unknown field', 400, 'invalid_request', 'extra'],
    ['connection=x', 'text/plain', 'another media type', 400, 'invalid_request', 'input'],
    [
      JSON.stringify({ connection: 'x'.repeat(2 * 1024 * 1024) }),
      'application/json',
      'a huge body',
      413,
      'payload_too_large',
      null,
    ],
  ];

for (const database of DATABASES) {
  describe(`runtime API hostile input on ${database.name}`, () => {
    let f: RuntimeFixture;
    beforeAll(async () => {
      f = await startRuntimeFixture(database);
    });
    afterAll(async () => {
      await f?.close();
    });

    it.each(GET_CASES)('answers %s with %i %s (%s)', async (url, status, code, field) => {
      const answer = await f.get(url, f.keys.a);
      const body = answer.body as { code?: string; field?: string };
      expect([
        answer.status,
        status === 200 ? null : body.code,
        status === 200 ? null : (body.field ?? null),
        String(answer.headers['content-type']).split(';')[0],
      ]).toStrictEqual([
        status,
        code,
        field,
        status === 200 ? 'application/json' : 'application/problem+json',
      ]);
    });

    it('refuses a path id longer than the router accepts with a problem', async () => {
      const answer = await f.get(`/v1/gmail/messages/${'a'.repeat(600)}`, f.keys.a);
      expect([answer.status, answer.headers['content-type'], answer.body]).toStrictEqual([
        400,
        'application/problem+json; charset=utf-8',
        {
          type: 'https://tidings.dev/problems/invalid_request',
          title: 'Invalid request',
          status: 400,
          code: 'invalid_request',
          detail: 'A path segment is longer than 512 characters.',
          field: 'path',
        },
      ]);
    });

    it('refuses a path that is not valid percent-encoding with a problem', async () => {
      const answer = await f.get('/v1/gmail/messages/%E0%A4%A', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([
        400,
        {
          type: 'https://tidings.dev/problems/invalid_request',
          title: 'Invalid request',
          status: 400,
          code: 'invalid_request',
          detail: 'The request path is not valid percent-encoded UTF-8.',
          field: 'path',
        },
      ]);
    });

    it('refuses a query value that is not valid percent-encoded UTF-8 with a problem', async () => {
      const answer = await f.get('/v1/gmail/messages?q=%E0%A4%A', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([
        400,
        {
          type: 'https://tidings.dev/problems/invalid_request',
          title: 'Invalid request',
          status: 400,
          code: 'invalid_request',
          detail: 'q: not valid percent-encoded UTF-8',
          field: 'q',
          instance: '/v1/gmail/messages',
        },
      ]);
    });

    it.each([
      ['/v1/tools/gmail.unread?connection=%ZZ', 'connection'],
      ['/v1/connect-links?x=%E0%A4%A', 'x'],
    ])('refuses broken percent-encoding on POST %s', async (url, field) => {
      const answer = await f.request('POST', url, f.keys.a);
      const body = answer.body as { code?: string; field?: string; detail?: string };
      expect([answer.status, body.code, body.field, body.detail]).toStrictEqual([
        400,
        'invalid_request',
        field,
        `${field}: not valid percent-encoded UTF-8`,
      ]);
    });

    it('refuses a query parameter on POST /v1/connect-links instead of ignoring it', async () => {
      const answer = await f.request(
        'POST',
        '/v1/connect-links?connection=kim@example.com',
        f.keys.a,
      );
      expect([answer.status, answer.body]).toStrictEqual([
        400,
        {
          type: 'https://tidings.dev/problems/invalid_request',
          title: 'Invalid request',
          status: 400,
          code: 'invalid_request',
          detail: 'connection: unknown query parameter',
          field: 'connection',
          instance: '/v1/connect-links',
        },
      ]);
    });

    it.each(POST_CASES)(
      'answers a connect-link body of %#: %s (%s) with a problem',
      async (payload, type, _what, status, code, field) => {
        const answer = await f.app.inject({
          method: 'POST',
          url: '/v1/connect-links',
          headers: { authorization: `Bearer ${f.keys.a}`, 'content-type': type },
          payload,
        });
        const body = answer.json() as { code?: string; field?: string };
        expect([answer.statusCode, body.code, body.field ?? null]).toStrictEqual([
          status,
          code,
          field,
        ]);
      },
    );
  });
}
