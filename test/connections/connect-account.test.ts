/**
 * Whose account a connect link joins: the pages name it (escaped) and warn, links are
 * short-lived, a reconnect link stores only the account it reconnects, and the "connected"
 * notice is queued only where it can be delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';
import { codeOf, connectThrough, createBrowser, open } from './browser.harness.ts';

const NAME = '<b>Mallory & "co"</b>';
const ESCAPED = '&lt;b&gt;Mallory &amp; &quot;co&quot;&lt;/b&gt;';

for (const database of DATABASES) {
  describe(`the account a connect link joins, on ${database.name}`, () => {
    let stack: Stack;
    /** How far our clock runs ahead of the real one. */
    let ahead = 0;
    beforeAll(async () => {
      stack = await startStack(database, { start: { now: () => new Date(Date.now() + ahead) } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    const users = () => stack.app.parts.frontDoor.users;
    const approve = (email: string) => stack.control('/auto-approve', { body: { email } });

    it('the continue page and the result page name the Tidings account, escaped, and warn', async () => {
      const user = await users().create({ displayName: NAME, telegramUserId: '5501' });
      await approve('alex@example.com');
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      const browser = createBrowser();
      const page = await open(browser, link.url);
      const result = await connectThrough(browser, link.url);
      expect({
        continue: [
          page.status,
          page.html.includes(`<strong>${ESCAPED}</strong>`),
          page.html.includes('(Telegram user 5501)'),
          page.html.includes('<strong>Only continue if this is you.</strong>'),
          page.html.includes(NAME),
        ],
        result: [
          result.status,
          result.html.includes(`<strong>${ESCAPED}</strong>`),
          result.html.includes('<strong>Not you?</strong>'),
          result.html.includes('<code>/disconnect alex@example.com</code>'),
          result.html.includes(NAME),
        ],
      }).toStrictEqual({
        continue: [200, true, true, true, false],
        result: [200, true, true, true, false],
      });
    });

    it('a connect link expires after ten minutes, with a page that says so', async () => {
      const user = await users().create({ displayName: 'Late' });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      ahead += 10 * 60_000 + 1_000;
      try {
        const page = await open(createBrowser(), link.url);
        expect([page.status, codeOf(page.html), page.html.includes('10 minutes')]).toStrictEqual([
          400,
          'oauth_state_expired',
          true,
        ]);
      } finally {
        ahead = 0;
      }
    });

    it('a reconnect link that signs in to another Google account stores nothing', async () => {
      const user = await users().create({ displayName: 'Reconnecting' });
      await approve('sam@example.com');
      await connectThrough(
        createBrowser(),
        (await stack.app.parts.frontDoor.connectLink(user.id)).url,
      );
      const [sam] = await stack.app.parts.frontDoor.connections.list(user.id);
      await approve('alex@example.com');
      const reconnect = await stack.app.parts.frontDoor.connectLink(user.id, {
        connectionId: sam!.id,
      });
      const page = await connectThrough(createBrowser(), reconnect.url);
      expect({
        page: [page.status, codeOf(page.html)],
        says: page.html.includes(
          'This link reconnects sam@example.com, but Google signed in alex@example.com.',
        ),
        stored: (await stack.app.parts.frontDoor.connections.list(user.id)).map((c) => c.email),
      }).toStrictEqual({
        page: [400, 'oauth_identity_invalid'],
        says: true,
        stored: ['sam@example.com'],
      });
    });

    it('queues the "connected" notice only for a user with a Telegram chat', async () => {
      const apiOnly = await users().create({ displayName: 'Runtime only' });
      const chatting = await users().create({ displayName: 'Chatting', telegramUserId: '5502' });
      await approve('alex@example.com');
      for (const user of [apiOnly, chatting]) {
        const link = await stack.app.parts.frontDoor.connectLink(user.id);
        expect((await connectThrough(createBrowser(), link.url)).status).toBe(200);
      }
      const queued = (await stack.app.parts.outbox.pending(500)).filter(
        (n) => n.kind === 'connected' && [apiOnly.id, chatting.id].includes(n.userId),
      );
      expect(queued.map((n) => [n.userId, n.payload.email])).toStrictEqual([
        [chatting.id, 'alex@example.com'],
      ]);
    });
  });
}
