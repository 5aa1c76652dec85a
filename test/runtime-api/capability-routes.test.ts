import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilityNamed } from '../../src/capabilities/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type RuntimeFixture, startRuntimeFixture } from './runtime-api.harness.ts';

for (const database of DATABASES) {
  describe(`runtime API routes on ${database.name}`, () => {
    let f: RuntimeFixture;
    beforeAll(async () => {
      f = await startRuntimeFixture(database);
    });
    afterAll(async () => {
      await f?.close();
    });

    /** What the capability itself answers for user A: the route must give exactly this. */
    const direct = (capability: string, input: unknown, connection: string | null = null) =>
      f.frontDoor.invoke(f.users.a, capabilityNamed(capability)!, input, { connection });

    it('searches mail with q and pageSize', async () => {
      const answer = await f.get('/v1/gmail/messages?q=is%3Aunread&pageSize=3', f.keys.a);
      const expected = await direct('gmail.search', { query: 'is:unread', pageSize: 3 });
      expect(answer).toMatchObject({ status: 200 });
      expect(answer.body).toStrictEqual(expected);
      expect((answer.body as { messages: unknown[] }).messages).toHaveLength(3);
    });

    it('reads a message and a thread by the ids a search gave', async () => {
      const search = await direct('gmail.search', { pageSize: 1 });
      const [first] = (search as { messages: Array<{ id: string; threadId: string }> }).messages;
      const message = await f.get(`/v1/gmail/messages/${first?.id}?maxChars=500`, f.keys.a);
      const thread = await f.get(`/v1/gmail/threads/${first?.threadId}`, f.keys.a);
      expect([message.status, message.body, thread.status, thread.body]).toStrictEqual([
        200,
        await direct('gmail.read', { messageId: first?.id, maxChars: 500 }),
        200,
        await direct('gmail.read', { threadId: first?.threadId }),
      ]);
    });

    it('counts unread mail', async () => {
      const answer = await f.get('/v1/gmail/unread', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([200, await direct('gmail.unread', {})]);
    });

    it('gives the agenda of a day and of a range', async () => {
      const day = f.now().toISOString().slice(0, 10);
      const one = await f.get(`/v1/calendar/agenda?day=${day}`, f.keys.a);
      const range = await f.get(`/v1/calendar/agenda?from=${day}&to=${day}T23:00`, f.keys.a);
      expect([one.status, one.body, range.status, range.body]).toStrictEqual([
        200,
        await direct('calendar.agenda', { day }),
        200,
        await direct('calendar.agenda', { from: day, to: `${day}T23:00` }),
      ]);
    });

    it('answers free/busy with numbers, booleans and working hours from the query', async () => {
      const day = f.now().toISOString().slice(0, 10);
      const answer = await f.get(
        `/v1/calendar/freebusy?from=${day}&to=${day}&minMinutes=45&includeWeekends=true` +
          '&workingHours[start]=08:00&workingHours.end=17:30',
        f.keys.a,
      );
      expect([answer.status, answer.body]).toStrictEqual([
        200,
        await direct('calendar.freebusy', {
          from: day,
          to: day,
          minMinutes: 45,
          includeWeekends: true,
          workingHours: { start: '08:00', end: '17:30' },
        }),
      ]);
    });

    it('gives the next event and the action items', async () => {
      const next = await f.get('/v1/calendar/next', f.keys.a);
      const actions = await f.get('/v1/actions?days=14&limit=5', f.keys.a);
      expect([next.status, next.body, actions.status, actions.body]).toStrictEqual([
        200,
        await direct('calendar.next', {}),
        200,
        await direct('actions.extract', { days: 14, limit: 5 }),
      ]);
    });

    it('lists the connections of the key’s user, without tokens', async () => {
      const answer = await f.get('/v1/connections', f.keys.a);
      const shape = (id: string, email: string, isDefault: boolean) => ({
        id,
        provider: 'google',
        email,
        display_name: null,
        status: 'active',
        status_reason: null,
        capabilities: ['gmail', 'calendar'],
        granted_scopes: f.connections.alex.grantedScopes,
        is_default: isDefault,
        created_at: '2026-01-05T10:00:00.000Z',
        last_used_at: null,
      });
      expect([answer.status, answer.headers['cache-control'], answer.body]).toStrictEqual([
        200,
        'no-store',
        {
          connections: [
            shape('conn-alex', 'alex@example.com', true),
            shape('conn-kim', 'kim@example.com', false),
          ],
        },
      ]);
    });

    it('picks another connected account with connection=<email or id>', async () => {
      const byEmail = await f.get('/v1/gmail/messages?connection=kim%40example.com', f.keys.a);
      const byId = await f.get('/v1/calendar/next?connection=conn-kim', f.keys.a);
      expect([byEmail.status, byEmail.body, byId.status, byId.body]).toStrictEqual([
        200,
        await direct('gmail.search', {}, 'kim@example.com'),
        200,
        await direct('calendar.next', {}, 'conn-kim'),
      ]);
    });
  });

  describe(`runtime API isolation between users on ${database.name}`, () => {
    let f: RuntimeFixture;
    beforeAll(async () => {
      f = await startRuntimeFixture(database);
    });
    afterAll(async () => {
      await f?.close();
    });

    const notFound = (instance: string) => ({
      type: 'https://tidings.dev/problems/not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: 'No connection matches that id or email',
      instance,
    });

    it("never reaches another user's connection, by email or by id", async () => {
      const answers = await Promise.all([
        f.get('/v1/gmail/messages?connection=sam@example.com', f.keys.a),
        f.get('/v1/gmail/unread?connection=conn-sam', f.keys.a),
        f.get('/v1/calendar/agenda?day=2026-03-10&connection=SAM@EXAMPLE.COM', f.keys.a),
        f.get('/v1/gmail/messages?connection=alex@example.com', f.keys.b),
      ]);
      expect(answers.map((a) => [a.status, a.body])).toStrictEqual([
        [404, notFound('/v1/gmail/messages')],
        [404, notFound('/v1/gmail/unread')],
        [404, notFound('/v1/calendar/agenda')],
        [404, notFound('/v1/gmail/messages')],
      ]);
    });

    it("serves each key its own user's mail", async () => {
      const mailOf = async (key: string) => {
        const answer = await f.get('/v1/gmail/messages?pageSize=5', key);
        return (answer.body as { messages: Array<{ link: string }> }).messages.map(
          (m) => new URL(m.link).pathname,
        );
      };
      const [a, b] = await Promise.all([mailOf(f.keys.a), mailOf(f.keys.b)]);
      expect([
        a.every((p) => p === '/mail/u/alex@example.com/'),
        b.every((p) => p === '/mail/u/sam@example.com/'),
        a.length > 0 && b.length > 0,
      ]).toStrictEqual([true, true, true]);
    });

    it('takes no user id from the request: user parameters are unknown', async () => {
      const answers = await Promise.all([
        f.get(`/v1/gmail/messages?userId=${f.users.b}`, f.keys.a),
        f.get(`/v1/gmail/unread?user=${f.users.b}`, f.keys.a),
        f.request('POST', '/v1/connect-links', f.keys.a, { userId: f.users.b }),
      ]);
      expect(answers.map((a) => [a.status, (a.body as { field?: string }).field])).toStrictEqual([
        [400, 'userId'],
        [400, 'user'],
        [400, 'userId'],
      ]);
    });

    it('passes the user id of the key to the FrontDoor on every call', async () => {
      f.frontDoor.calls.length = 0;
      await f.get('/v1/gmail/unread', f.keys.b);
      await f.get('/v1/connections', f.keys.b);
      await f.get('/v1/calendar/next?connection=alex@example.com', f.keys.b);
      await f.request('POST', '/v1/connect-links', f.keys.b, {});
      expect(f.frontDoor.calls).toStrictEqual([
        { method: 'invoke', userId: f.users.b, capability: 'gmail.unread', connection: null },
        { method: 'connections.list', userId: f.users.b },
        {
          method: 'invoke',
          userId: f.users.b,
          capability: 'calendar.next',
          connection: 'alex@example.com',
        },
        { method: 'connectLink', userId: f.users.b, connection: null },
      ]);
    });
  });
}
