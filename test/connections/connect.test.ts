import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { gmailUnread } from '../../src/capabilities/index.ts';
import {
  connectWithAutoApprove,
  followConnectLink,
  type Stack,
  startConnect,
  startStack,
} from '../support/stack.harness.ts';

const CALENDAR = 'https://www.googleapis.com/auth/calendar.readonly';

for (const database of DATABASES) {
  describe(`connect journey on ${database.name}`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack(database);
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function newUser(name = 'Alex') {
      return stack.app.parts.frontDoor.users.create({ displayName: name });
    }

    it('connects an account through the real consent page and stores the grant encrypted', async () => {
      // A chat, so connecting queues its "connected" notice.
      const user = await stack.app.parts.frontDoor.users.create({
        displayName: 'Alex',
        telegramUserId: '5101',
      });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      const start = await startConnect(link.url);
      expect(start.status).toBe(303);
      const cookie = start.setCookie!;
      expect(cookie).toMatch(
        /^tidings_oauth_[\w-]{16}=[^;]+; Max-Age=600; Path=\/oauth\/google; HttpOnly; SameSite=Lax$/,
      );
      const authorizeUrl = new URL(start.authorizeUrl!);
      expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
        access_type: 'offline',
        prompt: 'consent',
        include_granted_scopes: 'true',
        code_challenge_method: 'S256',
        response_type: 'code',
        client_id: 'tidings-demo',
      });
      // The consent page, answered like a browser: pick alex, keep every scope ticked.
      const consent = await fetch(authorizeUrl);
      const html = await consent.text();
      const form = new URLSearchParams();
      for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
        form.append(match[1]!, match[2]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
      }
      for (const match of html.matchAll(
        /<input type="checkbox" name="([^"]+)" value="([^"]*)"[^>]*checked/g,
      )) {
        form.append(match[1]!, match[2]!);
      }
      const account = /<input type="radio" name="([^"]+)" value="alex@example.com"/.exec(html);
      expect(account).not.toBeNull();
      form.set(account![1]!, 'alex@example.com');
      const action =
        /<form[^>]*method="post"[^>]*action="([^"]+)"|<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(
          html,
        );
      const decision = await fetch(
        new URL((action?.[1] ?? action?.[2] ?? '').replaceAll('&amp;', '&'), authorizeUrl),
        {
          method: 'POST',
          body: new URLSearchParams([...form, ['decision', 'allow'], ['action', 'allow']]),
          redirect: 'manual',
        },
      );
      const callbackUrl = decision.headers.get('location');
      expect(callbackUrl).toContain('/oauth/google/callback?');
      const callback = await fetch(callbackUrl!, { headers: { cookie: cookie.split(';')[0]! } });
      expect(callback.status).toBe(200);
      expect(callback.headers.get('referrer-policy')).toBe('no-referrer');
      const page = await callback.text();
      expect(page).toContain('Connected alex@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      expect(connection).toMatchObject({
        email: 'alex@example.com',
        status: 'active',
        isDefault: true,
        capabilities: ['gmail', 'calendar'],
      });
      const row = await stack.handle.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', connection!.id)
        .executeTakeFirstOrThrow();
      expect(row.token_ciphertext).toMatch(/^tv1\./);
      expect(row.token_ciphertext).not.toMatch(/ya29|1\/\/0/);
      const outbox = await stack.app.parts.outbox.pending(50);
      expect(
        outbox.filter((n) => n.userId === user.id).map((n) => [n.kind, n.payload.email]),
      ).toStrictEqual([['connected', 'alex@example.com']]);
    });

    it('an unchecked Gmail scope keeps the calendar capability and says Gmail is missing', async () => {
      const user = await newUser();
      // A Google account that never granted anything to this client (include_granted_scopes).
      await stack.control('/users', { body: { email: 'casey@example.com', name: 'Casey' } });
      const result = await connectWithAutoApprove(stack, user.id, 'casey@example.com', [
        'openid',
        'email',
        'profile',
        CALENDAR,
      ]);
      expect(result.status).toBe(200);
      expect(result.html).toContain('Gmail (read only) — not granted');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      expect(connection!.capabilities).toStrictEqual(['calendar']);
      await expect(
        stack.app.parts.frontDoor.invoke(user.id, gmailUnread, {}),
      ).rejects.toMatchObject({ code: 'scope_missing' });
    });

    it('reconnecting the same account updates it; another account adds a connection', async () => {
      const user = await newUser();
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      await connectWithAutoApprove(stack, user.id, 'sam@example.com');
      const list = await stack.app.parts.frontDoor.connections.list(user.id);
      expect(list.map((c) => [c.email, c.isDefault])).toStrictEqual([
        ['alex@example.com', true],
        ['sam@example.com', false],
      ]);
    });

    it('cancelling on Google answers oauth_access_denied and stores nothing', async () => {
      const user = await newUser();
      await stack.control('/auto-deny', { body: { error: 'access_denied' } });
      try {
        const link = await stack.app.parts.frontDoor.connectLink(user.id);
        const result = await followConnectLink(link.url);
        expect(result.status).toBe(400);
        expect(result.html).toContain('<code>oauth_access_denied</code>');
      } finally {
        await stack.control('/auto-deny', { method: 'DELETE' });
      }
      expect(await stack.app.parts.frontDoor.connections.list(user.id)).toStrictEqual([]);
    });

    it('rejects a replayed callback', async () => {
      const user = await newUser();
      const first = await connectWithAutoApprove(stack, user.id, 'alex@example.com');
      expect(first.status).toBe(200);
      const replay = await fetch(first.callbackUrl!, { headers: { cookie: first.cookie! } });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain('<code>oauth_state_invalid</code>');
    });

    it('rejects a forged state, a missing cookie and a mismatched cookie', async () => {
      const user = await newUser();
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const forged = await fetch(
        `${stack.app.url}/oauth/google/callback?code=4/0abc&state=${'A'.repeat(43)}`,
        {
          headers: { cookie: `tidings_oauth=${'B'.repeat(43)}.sig` },
        },
      );
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('<code>oauth_state_invalid</code>');

      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      const noCookie = await followConnectLink(link.url, { dropCookie: true });
      expect(noCookie.status).toBe(400);
      expect(noCookie.html).toContain('cookie is missing');

      const linkA = await stack.app.parts.frontDoor.connectLink(user.id);
      const linkB = await stack.app.parts.frontDoor.connectLink(user.id);
      const startA = await startConnect(linkA.url);
      const startB = await startConnect(linkB.url);
      const callbackA = (await fetch(startA.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      const mismatched = await fetch(callbackA, { headers: { cookie: startB.cookie! } });
      expect(mismatched.status).toBe(400);
      expect(await mismatched.text()).toContain('does not belong to this browser session');
      expect(await stack.app.parts.frontDoor.connections.list(user.id)).toStrictEqual([]);
    });

    it('a used or unknown connect ticket is refused', async () => {
      const user = await newUser();
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      expect((await startConnect(link.url)).status).toBe(303);
      const again = await fetch(link.url, { redirect: 'manual' });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('<code>oauth_state_invalid</code>');
      const junk = await fetch(`${stack.app.url}/oauth/google/start?ticket=%3Cscript%3E`, {
        redirect: 'manual',
      });
      expect(junk.status).toBe(400);
      const missing = await fetch(`${stack.app.url}/oauth/google/start`, { redirect: 'manual' });
      expect(missing.status).toBe(400);
    });

    it('a reused authorization code is refused with oauth_code_invalid', async () => {
      const user = await newUser();
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const startFlow = async () => {
        const link = await stack.app.parts.frontDoor.connectLink(user.id);
        const start = await startConnect(link.url);
        const callback = new URL(
          (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get('location')!,
        );
        return { cookie: start.cookie!, callback };
      };
      const first = await startFlow();
      expect((await fetch(first.callback, { headers: { cookie: first.cookie } })).status).toBe(200);
      // A fresh, valid session that carries the already used code (a leaked callback URL).
      const second = await startFlow();
      second.callback.searchParams.set('code', first.callback.searchParams.get('code')!);
      const reused = await fetch(second.callback, { headers: { cookie: second.cookie } });
      expect(reused.status).toBe(400);
      expect(await reused.text()).toContain('<code>oauth_code_invalid</code>');
    });

    it('Google unavailable during the exchange answers provider_unavailable, not a 500', async () => {
      const user = await newUser();
      await stack.control('/faults', { body: { path: '/token', status: 503, count: 1 } });
      try {
        const result = await connectWithAutoApprove(stack, user.id, 'alex@example.com');
        expect(result.status).toBe(502);
        expect(result.html).toContain('<code>provider_unavailable</code>');
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
    });
  });
}
