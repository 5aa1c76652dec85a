/**
 * After every connect journey — the good one and each failure — plus refreshes by the
 * real job queue, a broken grant and a disconnect whose revoke failed: no table of ours,
 * no table of the job queue and no log line holds an access or refresh token, an ID
 * token, an authorization code (raw or URL-encoded), a PKCE verifier, a connect ticket,
 * an OAuth state, the client secret or the master key.
 */
import { once } from 'node:events';
import { sql } from 'kysely';
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
  describe(`secrets after the journeys on ${database.name}`, () => {
    let stack: Stack;
    let clock = Date.now();
    const now = () => new Date(clock);
    const secrets = new Set<string>();
    let breakSignature = false;
    beforeAll(async () => {
      const capture: typeof fetch = async (input, init) => {
        const sent = new URLSearchParams(String(init?.body ?? ''));
        for (const name of ['code', 'code_verifier', 'refresh_token', 'token']) {
          const value = sent.get(name);
          if (value) secrets.add(value);
        }
        const response = await fetch(input, init);
        const url =
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (!url.endsWith('/token') || !response.ok) return response;
        const body = (await response.json()) as Record<string, unknown>;
        for (const name of ['access_token', 'refresh_token', 'id_token']) {
          if (typeof body[name] === 'string') secrets.add(body[name] as string);
        }
        if (breakSignature && typeof body.id_token === 'string') {
          body.id_token = `${body.id_token.slice(0, -4)}AAAA`;
        }
        return new Response(JSON.stringify(body), {
          status: response.status,
          headers: response.headers,
        });
      };
      stack = await startStack(database, { start: { now, fetch: capture, jobs: true } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    /** Remembers the one-time values a browser sees: ticket, state, code. */
    function remember(url: string | null) {
      if (!url) return;
      const params = new URL(url).searchParams;
      for (const name of ['ticket', 'state', 'code']) {
        const value = params.get(name);
        if (value) secrets.add(value);
      }
    }

    async function journey(userId: string, email: string) {
      await stack.control('/auto-approve', { body: { email } });
      const link = await stack.app.parts.frontDoor.connectLink(userId);
      remember(link.url);
      const start = await startConnect(link.url);
      remember(start.authorizeUrl);
      const callback = (await fetch(start.authorizeUrl!, { redirect: 'manual' })).headers.get(
        'location',
      );
      remember(callback);
      return { start, callback: callback! };
    }

    it('leave no secret in any table or log line', async () => {
      const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Audit' });
      // Connected, then the callback replayed.
      const good = await journey(user.id, 'alex@example.com');
      const page = await fetch(good.callback, { headers: { cookie: good.start.cookie! } });
      expect(page.status).toBe(200);
      expect((await fetch(good.callback, { headers: { cookie: good.start.cookie! } })).status).toBe(
        400,
      );
      // The used code in a fresh session.
      const reuse = await journey(user.id, 'alex@example.com');
      const reused = new URL(reuse.callback);
      reused.searchParams.set('code', new URL(good.callback).searchParams.get('code')!);
      expect((await fetch(reused, { headers: { cookie: reuse.start.cookie! } })).status).toBe(400);
      // Google failing the exchange.
      const failing = await journey(user.id, 'sam@example.com');
      await stack.control('/faults', { body: { path: '/token', status: 503, count: 1 } });
      try {
        expect(
          (await fetch(failing.callback, { headers: { cookie: failing.start.cookie! } })).status,
        ).toBe(502);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }
      // An ID token whose signature does not verify.
      breakSignature = true;
      try {
        const forged = await connectWithAutoApprove(stack, user.id, 'sam@example.com');
        remember(forged.callbackUrl);
        expect(forged.status).toBe(400);
      } finally {
        breakSignature = false;
      }
      // Cancelled on Google's page.
      await stack.control('/auto-deny', { body: { error: 'access_denied' } });
      try {
        const link = await stack.app.parts.frontDoor.connectLink(user.id);
        remember(link.url);
        const denied = await followConnectLink(link.url);
        remember(denied.callbackUrl);
        expect(denied.status).toBe(400);
      } finally {
        await stack.control('/auto-deny', { method: 'DELETE' });
      }
      // A forged callback carrying a code-shaped value, URL-encoded as browsers send it.
      await fetch(`${stack.app.url}/oauth/google/callback?code=4%2F0AbCdEfGhIjKlMnOp&state=x`);
      secrets.add('4/0AbCdEfGhIjKlMnOp');
      // Refreshed by the job queue; a revoked grant noticed; a disconnect whose revoke fails.
      const second = await stack.app.parts.frontDoor.users.create({ displayName: 'Audit 2' });
      await connectWithAutoApprove(stack, second.id, 'sam@example.com');
      clock += 25 * 60 * 60_000;
      try {
        const refreshed = once(stack.app.jobs!.events, 'swept');
        await stack.app.jobs!.runNow('sweep');
        await refreshed;
        await stack.app.jobs!.sweepNow();
      } finally {
        clock = Date.now();
      }
      const [alex] = await stack.app.parts.frontDoor.connections.list(user.id);
      await stack.app.parts.broker.accessToken(alex!.id);
      await stack.control('/users/sam@example.com/revoke', { body: {} });
      const [sam] = await stack.app.parts.frontDoor.connections.list(second.id);
      expect(await stack.app.parts.broker.refresh(sam!.id, { force: true })).toBe('needs_reauth');
      await stack.control('/faults', { body: { path: '/revoke', status: 503, count: 5 } });
      try {
        await stack.app.parts.frontDoor.connections.disconnect(user.id, alex!.id);
      } finally {
        await stack.control('/faults', { method: 'DELETE' });
      }

      const schemas = [
        (await sql<{ s: string }>`select current_schema() as s`.execute(stack.handle.db)).rows[0]!
          .s,
        stack.handle.schema ? `${stack.handle.schema}_pgboss` : 'pgboss',
      ];
      let dump = '';
      for (const schema of schemas) {
        const tables = await sql<{ table_name: string }>`
          select table_name from information_schema.tables
          where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(stack.handle.db);
        expect(tables.rows.length).toBeGreaterThan(0);
        for (const { table_name } of tables.rows) {
          const rows = await sql`select * from ${sql.table(`${schema}.${table_name}`)}`.execute(
            stack.handle.db,
          );
          dump += JSON.stringify(rows.rows);
        }
      }
      expect(dump).toContain('tidings-refresh');
      const logs = stack.logs.join('\n');
      expect(secrets.size).toBeGreaterThan(20);
      for (const [where, text] of [
        ['tables', dump],
        ['logs', logs],
      ] as const) {
        const found = [...secrets].filter(
          (secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)),
        );
        expect({ where, found }).toStrictEqual({ where, found: [] });
        expect(text).not.toMatch(
          /ya29\.|1\/\/0|1%2F%2F0|4\/0[A-Za-z0-9_-]{8}|4%2F0[A-Za-z0-9_-]{8}/,
        );
        expect(text).not.toContain('tidings-demo-secret');
        expect(text).not.toContain(stack.masterKey);
      }
    });
  });
}
