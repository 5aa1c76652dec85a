/**
 * What the connect flow refuses to believe, and what it does not use up: an ID token
 * whose signature does not verify, an unverified email, a callback without a code, a
 * token answer without `scope`; a link preview fetching the connect link; and the
 * `login_hint` a reconnect carries to Google.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import {
  connectWithAutoApprove,
  followConnectLink,
  type Stack,
  startConnect,
  startStack,
} from '../support/stack.harness.ts';

type Tamper = 'none' | 'signature' | 'forged_sub' | 'no_scope';

for (const database of DATABASES) {
  describe(`connect checks on ${database.name}`, () => {
    let stack: Stack;
    let tamper: Tamper = 'none';
    beforeAll(async () => {
      const rewrite: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (
          tamper === 'none' ||
          !String(init?.body ?? '').includes('grant_type=authorization_code')
        )
          return response;
        const body = (await response.json()) as Record<string, unknown>;
        if (tamper === 'no_scope') delete body.scope;
        if (typeof body.id_token === 'string') {
          const [header, payload, signature] = body.id_token.split('.') as [string, string, string];
          if (tamper === 'signature') {
            const flipped = signature.startsWith('A')
              ? `B${signature.slice(1)}`
              : `A${signature.slice(1)}`;
            body.id_token = `${header}.${payload}.${flipped}`;
          }
          if (tamper === 'forged_sub') {
            const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
            claims.sub = '100000000000000000001';
            body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
          }
        }
        return new Response(JSON.stringify(body), {
          status: response.status,
          headers: response.headers,
        });
      };
      stack = await startStack(database, { start: { fetch: rewrite } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function newUser(name: string) {
      return stack.app.parts.frontDoor.users.create({ displayName: name });
    }

    function codeOf(html: string) {
      return /<code>([a-z_]+)<\/code>/.exec(html)?.[1] ?? null;
    }

    for (const [kind, what] of [
      ['signature', 'a broken signature'],
      ['forged_sub', 'a changed subject under the original signature'],
    ] as const) {
      it(`an ID token with ${what} is refused and nothing is stored`, async () => {
        const user = await newUser(kind);
        tamper = kind;
        let result: Awaited<ReturnType<typeof connectWithAutoApprove>>;
        try {
          result = await connectWithAutoApprove(stack, user.id, 'alex@example.com');
        } finally {
          tamper = 'none';
        }
        expect([result.status, codeOf(result.html)]).toStrictEqual([400, 'oauth_identity_invalid']);
        expect(await stack.app.parts.frontDoor.connections.list(user.id)).toStrictEqual([]);
      });
    }

    it('an account whose email Google has not verified is refused and nothing is stored', async () => {
      await stack.control('/users', {
        body: { email: 'unverified@example.com', name: 'Una Verified', email_verified: false },
      });
      const user = await newUser('Una');
      const result = await connectWithAutoApprove(stack, user.id, 'unverified@example.com');
      expect([result.status, codeOf(result.html)]).toStrictEqual([400, 'oauth_identity_invalid']);
      expect(result.html).toContain('email address is not verified');
      expect(await stack.app.parts.frontDoor.connections.list(user.id)).toStrictEqual([]);
    });

    it('a callback without a code answers oauth_code_invalid', async () => {
      const user = await newUser('No code');
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      const start = await startConnect(link.url);
      const callback = new URL(
        (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get('location')!,
      );
      callback.searchParams.delete('code');
      const answer = await fetch(callback, { headers: { cookie: start.cookie! } });
      expect([answer.status, codeOf(await answer.text())]).toStrictEqual([
        400,
        'oauth_code_invalid',
      ]);
    });

    it('a token answer without scope grants only the sign-in scopes', async () => {
      const user = await newUser('No scope');
      tamper = 'no_scope';
      let result: Awaited<ReturnType<typeof connectWithAutoApprove>>;
      try {
        result = await connectWithAutoApprove(stack, user.id, 'sam@example.com');
      } finally {
        tamper = 'none';
      }
      expect(result.status).toBe(200);
      expect(result.html).toContain('Gmail (read only) — not granted');
      expect(result.html).toContain('Google Calendar (read only) — not granted');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      expect([connection!.grantedScopes, connection!.capabilities]).toStrictEqual([
        ['email', 'openid', 'profile'],
        [],
      ]);
    });

    it('a link preview fetching the connect link does not use it up', async () => {
      const user = await newUser('Preview');
      await stack.control('/auto-approve', { body: { email: 'alex@example.com' } });
      const link = await stack.app.parts.frontDoor.connectLink(user.id);
      for (let i = 0; i < 2; i++) {
        const preview = await fetch(link.url, { redirect: 'manual' });
        expect(preview.status).toBe(200);
        // The button posts to Tidings, which redirects to Google: the page allows both.
        expect(preview.headers.get('content-security-policy')).toContain(
          `form-action 'self' ${new URL(stack.google.url).origin};`,
        );
        expect(await preview.text()).toContain('Continue to Google');
      }
      const result = await followConnectLink(link.url);
      expect([result.status, result.html.includes('Connected alex@example.com')]).toStrictEqual([
        200,
        true,
      ]);
      // The button's post used it: the link is spent now.
      const after = await fetch(link.url, { redirect: 'manual' });
      expect([after.status, codeOf(await after.text())]).toStrictEqual([
        400,
        'oauth_state_invalid',
      ]);
    });

    it('a reconnect link sends Google the account as login_hint and updates that connection', async () => {
      const user = await newUser('Hint');
      await connectWithAutoApprove(stack, user.id, 'sam@example.com');
      const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.control('/auto-approve', { body: { email: 'sam@example.com' } });
      const link = await stack.app.parts.frontDoor.connectLink(user.id, {
        connectionId: connection!.id,
      });
      const start = await startConnect(link.url);
      expect(new URL(start.authorizeUrl!).searchParams.get('login_hint')).toBe('sam@example.com');
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      )!;
      const page = await fetch(callback, { headers: { cookie: start.cookie! } });
      expect([
        page.status,
        (await page.text()).includes('Reconnected sam@example.com'),
      ]).toStrictEqual([200, true]);
      expect(
        (await stack.app.parts.frontDoor.connections.list(user.id)).map((c) => c.id),
      ).toStrictEqual([connection!.id]);
    });
  });
}
