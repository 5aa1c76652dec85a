import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import {
  connectWithAutoApprove,
  followConnectLink,
  type Stack,
  startConnect,
  startStack,
} from '../support/stack.harness.ts';

for (const database of DATABASES) {
  describe(`connect edge cases on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    let stripRefreshToken = false;
    let stripExpiry = false;
    beforeAll(async () => {
      const withoutRefreshToken: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        const url =
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if ((!stripRefreshToken && !stripExpiry) || !url.endsWith('/token')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        if (stripRefreshToken) delete body.refresh_token;
        if (stripExpiry && String(init?.body ?? '').includes('grant_type=authorization_code'))
          delete body.expires_in;
        return new Response(JSON.stringify(body), {
          status: response.status,
          headers: response.headers,
        });
      };
      stack = await startStack(database, {
        start: { now: () => new Date(clock), fetch: withoutRefreshToken },
      });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('an expired state answers oauth_state_expired', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Late' });
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      const start = await startConnect(link.url);
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      clock += 11 * 60_000;
      try {
        const late = await fetch(callback, { headers: { cookie: start.cookie! } });
        expect(late.status).toBe(400);
        expect(await late.text()).toContain('<code>oauth_state_expired</code>');
      } finally {
        clock = Date.now();
      }
    });

    it('an expired connect ticket answers oauth_state_expired', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Slow' });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      clock += 16 * 60_000;
      try {
        const result = await followConnectLink(link.url);
        expect(result.status).toBe(400);
        expect(result.html).toContain('<code>oauth_state_expired</code>');
      } finally {
        clock = Date.now();
      }
    });

    it('no refresh token from Google answers oauth_no_refresh_token and stores nothing', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Offline' });
      stripRefreshToken = true;
      try {
        const result = await connectWithAutoApprove(stack, user.id, 'sam@example.com');
        expect(result.status).toBe(400);
        expect(result.html).toContain('<code>oauth_no_refresh_token</code>');
      } finally {
        stripRefreshToken = false;
      }
      expect(await stack.app.parts.frontDoor.connections.list(user.id)).toStrictEqual([]);
    });

    it('an access token whose expiry Google did not say counts as expired', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'No expiry' });
      stripExpiry = true;
      try {
        expect((await connectWithAutoApprove(stack, user.id, 'alex@example.com')).status).toBe(200);
      } finally {
        stripExpiry = false;
      }
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      expect(connection!.accessExpiresAt).toBeNull();
      const grants = async () => (await stack.stats()).grants.refresh_token;
      const before = await grants();
      expect(await stack.app.parts.broker.accessToken(connection!.id)).toMatch(/^ya29\./);
      expect(await stack.app.parts.broker.accessToken(connection!.id)).toMatch(/^ya29\./);
      // One refresh on first use; its answer said the expiry, so the second call is served.
      expect(await grants()).toBe(before + 1);
    });

    it('without Google settings the connect link answers not_configured with the settings to add', async () => {
      const bare = await startStack(database, {
        env: { GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: '' },
      });
      try {
        const user = await bare.app.parts.frontDoor.users.create({ displayName: 'Nobody' });
        await expect(bare.app.parts.frontDoor.connectLink(user.id)).rejects.toMatchObject({
          code: 'not_configured',
          details: { settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'] },
        });
        const page = await fetch(`${bare.app.url}/oauth/google/start?ticket=x`);
        expect(page.status).toBe(503);
        expect(await page.text()).toContain('<code>not_configured</code>');
      } finally {
        await bare.close();
      }
    });
  });
}
