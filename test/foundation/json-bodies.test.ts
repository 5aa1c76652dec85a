/**
 * JSON bodies with prototype-poisoning property names (`__proto__`, `constructor.prototype`)
 * on every surface that reads JSON: `POST /v1/tools/<name>` and `/mcp` refuse them with
 * `invalid_request` saying which name (not "not valid JSON", which they are); the Telegram
 * webhook drops the property and acknowledges the update, as it does any update; the
 * admin socket reads only its two fields, so the property is plain data there.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSocketPath } from '../../src/admin/socket.ts';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';

const SECRET = 'tidings-webhook-secret_0123456789abcdef';

function problem(detail: string, field: string, instance?: string) {
  return {
    type: 'https://tidings.dev/problems/invalid_request',
    title: 'Invalid request',
    status: 400,
    code: 'invalid_request',
    detail,
    field,
    ...(instance ? { instance } : {}),
  };
}

/** One line to the admin socket, its one-line answer parsed. */
function adminLine(dataDir: string, line: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(adminSocketPath(dataDir));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(JSON.parse(answer)));
    socket.on('error', reject);
  });
}

for (const database of DATABASES) {
  describe(`JSON bodies with forbidden property names on ${database.name}`, () => {
    let stack: Stack;
    let key: string;
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${stack.app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    beforeAll(async () => {
      stack = await startStack(database, {
        telegram: true,
        env: { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET },
      });
      const user = await stack.app.parts.users.create({
        displayName: 'Alex',
        telegramUserId: null,
      });
      key = (await createApiKeyStore(stack.handle.db, () => new Date()).create(user.id, 't')).key;
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('refuses them on POST /v1/tools/<name>, naming the property', async () => {
      const bodies = [
        '{"__proto__":{"x":1}}',
        '{"a":1,"__proto__":null}',
        '{"q":{"deep":[{"\\u005f_proto__":1}]}}',
        '{"constructor":{"prototype":{"x":1}}}',
      ];
      const answers = [];
      for (const body of bodies) {
        const answer = await post('/v1/tools/gmail.unread', body, {
          authorization: `Bearer ${key}`,
        });
        answers.push({ status: answer.status, body: await answer.json() });
      }
      const refused = (name: string, field: string) => ({
        status: 400,
        body: problem(
          `The JSON body uses the property name "${name}", which is not accepted.`,
          field,
          '/v1/tools/gmail.unread',
        ),
      });
      expect(answers).toStrictEqual([
        refused('__proto__', '__proto__'),
        refused('__proto__', '__proto__'),
        refused('__proto__', 'q.deep.0.__proto__'),
        refused('constructor.prototype', 'constructor.prototype'),
      ]);
    });

    it('still calls broken JSON broken JSON, and takes "constructor" alone as plain data', async () => {
      const broken = await post('/v1/tools/gmail.unread', '{"a":', {
        authorization: `Bearer ${key}`,
      });
      const plain = await post('/v1/tools/gmail.unread', '{"constructor":1}', {
        authorization: `Bearer ${key}`,
      });
      expect([
        broken.status,
        ((await broken.json()) as { detail: string }).detail,
        plain.status,
        ((await plain.json()) as { detail: string }).detail,
      ]).toStrictEqual([
        400,
        "Body is not valid JSON but content-type is set to 'application/json'",
        // Read as data: the capability runs, and this user has nothing connected.
        409,
        'No Google account is connected yet.',
      ]);
    });

    it('refuses them on /mcp, naming the property', async () => {
      const answer = await post(
        '/mcp',
        '{"jsonrpc":"2.0","id":1,"method":"tools/list","__proto__":{"x":1}}',
        { authorization: `Bearer ${key}`, accept: 'application/json, text/event-stream' },
      );
      expect([answer.status, await answer.json()]).toStrictEqual([
        400,
        problem(
          'The JSON body uses the property name "__proto__", which is not accepted.',
          '__proto__',
          '/mcp',
        ),
      ]);
    });

    it('acknowledges an update with them on the webhook and answers it without them', async () => {
      const update = (id: number) =>
        `{"update_id":${id},"__proto__":{"x":1},"message":{"message_id":1,"date":0,"__proto__":{"text":"/privacy"},"from":{"id":9401,"is_bot":false,"first_name":"Alex"},"chat":{"id":9401,"type":"private"},"text":"/help","constructor":{"prototype":{"x":1}}}}`;
      // The chat must exist in the Telegram sandbox before the bot can answer in it.
      await stack.chat?.write(9401, '/start', 'Alex');
      await stack.chat?.inbox(9401, { count: 1 });
      const answer = await post('/telegram/webhook', update(880_001), {
        'x-telegram-bot-api-secret-token': SECRET,
      });
      const inbox = (await stack.chat?.inbox(9401, { count: 2 })) ?? [];
      expect([
        answer.status,
        await answer.json(),
        inbox.at(-1)?.text.split('\n')[0],
        ({} as Record<string, unknown>).x,
      ]).toStrictEqual([200, { ok: true }, 'Ask me in your own words, for example:', undefined]);
    });

    it.runIf(database.name === 'pglite')(
      'reads only command and args on the admin socket, so they stay plain data',
      async () => {
        const dataDir = stack.app.services.config.dataDir;
        const answers = [
          await adminLine(dataDir, '{"command":"keys.status","args":[],"__proto__":{"x":1}}'),
          await adminLine(dataDir, '{"__proto__":{"command":"keys.status","args":[]}}'),
          await adminLine(dataDir, '{"constructor":{"prototype":{"command":"keys.status"}}}'),
        ];
        expect(answers).toStrictEqual([
          { ok: true, lines: ['v1  current  0 record(s)'] },
          { ok: false, error: 'malformed admin request' },
          { ok: false, error: 'malformed admin request' },
        ]);
      },
    );
  });
}
