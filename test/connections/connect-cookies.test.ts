/**
 * The browser binding of sign-ins in flight: a stray or cross-site hit on the callback
 * cancels nobody's sign-in, two sign-ins started in one browser both finish, and a browser
 * keeps a bounded number of bindings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';
import { backFromGoogle, codeOf, createBrowser, open, pressContinue } from './browser.harness.ts';

for (const database of DATABASES) {
  describe(`connect cookies on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database);
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function started(browser: ReturnType<typeof createBrowser>, name: string) {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: name });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      const continued = await pressContinue(browser, await open(browser, link.url));
      expect(continued.status).toBe(303);
      return { user, authorizeUrl: continued.authorizeUrl! };
    }

    it('a cross-site hit on the callback does not cancel a sign-in in progress', async () => {
      const browser = createBrowser();
      const { user, authorizeUrl } = await started(browser, 'Interrupted');
      // Another site links the person to the callback with a state of its own.
      const stray = await open(
        browser,
        `${stack.app.url}/oauth/google/callback?code=4/0abcdefghijk&state=${'A'.repeat(43)}`,
      );
      const finished = await backFromGoogle(browser, authorizeUrl);
      expect({
        stray: [stray.status, codeOf(stray.html)],
        finished: [finished.status, finished.html.includes('Connected alex@example.com')],
        stored: (await stack.app.parts.frontDoor.connections.list(user.id)).map((c) => c.email),
        cookiesLeft: browser.cookieNames(),
      }).toStrictEqual({
        stray: [400, 'oauth_state_invalid'],
        finished: [200, true],
        stored: ['alex@example.com'],
        cookiesLeft: [],
      });
    });

    it('two sign-ins started in one browser both finish, in either order', async () => {
      const browser = createBrowser();
      const first = await started(browser, 'First');
      const second = await started(browser, 'Second');
      expect(browser.cookieNames()).toHaveLength(2);
      const pages = [
        await backFromGoogle(browser, second.authorizeUrl),
        await backFromGoogle(browser, first.authorizeUrl),
      ];
      expect({
        pages: pages.map((page) => [page.status, codeOf(page.html)]),
        stored: [
          (await stack.app.parts.frontDoor.connections.list(first.user.id)).length,
          (await stack.app.parts.frontDoor.connections.list(second.user.id)).length,
        ],
        cookiesLeft: browser.cookieNames(),
      }).toStrictEqual({
        pages: [
          [200, null],
          [200, null],
        ],
        stored: [1, 1],
        cookiesLeft: [],
      });
    });

    it('a browser keeps at most five sign-ins in flight; starting more drops the oldest', async () => {
      const browser = createBrowser();
      const flows = [];
      for (let i = 0; i < 7; i++) flows.push(await started(browser, `Many ${i}`));
      const oldest = await backFromGoogle(browser, flows[0]!.authorizeUrl);
      const newest = await backFromGoogle(browser, flows[6]!.authorizeUrl);
      expect({
        kept: browser.cookieNames().length,
        oldest: [oldest.status, codeOf(oldest.html)],
        newest: newest.status,
      }).toStrictEqual({ kept: 4, oldest: [400, 'oauth_state_invalid'], newest: 200 });
    });
  });
}
