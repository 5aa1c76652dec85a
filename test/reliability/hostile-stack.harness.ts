/**
 * The rig of the hostile-input and isolation suites: the whole product (`startStack`, in
 * webhook mode, with the Telegram and Google sandboxes) with secrets planted where an
 * attacker would want them — the master key, the OAuth client secret, the bot token, the
 * webhook secret, the metrics token, API keys, and the access, refresh and ID tokens of
 * connected accounts (taken from the token endpoint's answers as the product receives
 * them). Requests go out over raw HTTP (`node:http`), so paths and headers reach the
 * server exactly as written; the admin socket is spoken to line by line.
 */
import http from 'node:http';
import net from 'node:net';
import { adminSocketPath } from '../../src/admin/socket.ts';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import type { TestDatabase } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

export const WEBHOOK_SECRET = 'hostile-webhook-secret_0123456789abcdef';
export const METRICS_TOKEN = 'hostile-metrics-token_0123456789abcdef';
const CLIENT_SECRET = 'tidings-demo-secret';

export interface Person {
  userId: string;
  telegramId: number;
  keys: string[];
  /** The Google accounts this person connected, and the connection ids. */
  accounts: Array<{ email: string; connectionId: string }>;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HostileStack {
  stack: Stack;
  url: string;
  people: Person[];
  /** Every planted secret by what it is (tokens are added as the product receives them). */
  secrets(): Map<string, string>;
  /** What of `text` is a planted secret (by name). */
  leaks(text: string): string[];
  send(request: RawRequest): Promise<RawAnswer>;
  /** One line (or any bytes) to the admin socket; its answer, '' when it closed without one. */
  admin(data: string): Promise<string>;
  close(): Promise<void>;
}

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;

/**
 * Starts the stack; `accounts[i]` are the Google accounts person `i` connects, after
 * `prepare` has readied the Google sandbox (extra accounts, their mail and events).
 */
export async function startHostileStack(
  database: TestDatabase,
  accounts: ReadonlyArray<readonly string[]>,
  prepare: (stack: Stack) => Promise<void> = async () => {},
): Promise<HostileStack> {
  const tokens = new Set<string>();
  // The product's own outbound fetch: the token endpoint's answers hold the tokens to plant.
  const observed: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/token') && response.ok) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      for (const field of TOKEN_FIELDS) {
        if (typeof body[field] === 'string') tokens.add(body[field]);
      }
    }
    return response;
  };
  const stack = await startStack(database, {
    telegram: true,
    env: {
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      METRICS_TOKEN,
    },
    start: { fetch: observed },
  });
  // Room for thousands of Google calls: the limits are not what is under test here.
  await stack.control('/settings', {
    method: 'PUT',
    body: { gmailQuotaUnitsPerMinute: 1_000_000, calendarRequestsPerMinute: 1_000_000 },
  });
  await prepare(stack);
  const apiKeys = createApiKeyStore(stack.handle.db, () => new Date());
  const people: Person[] = [];
  for (const [index, emails] of accounts.entries()) {
    const telegramId = 70_001 + index;
    const user = await stack.app.parts.frontDoor.users.ensureTelegramUser(
      String(telegramId),
      `Person ${index + 1}`,
    );
    // The person writes first (a bot cannot start a chat), so notices can reach them.
    await stack.chat?.write(telegramId, '/start', `Person ${index + 1}`);
    await stack.chat?.inbox(telegramId, { count: 1, timeoutMs: 30_000 });
    const keys: string[] = [];
    for (let k = 0; k < 10; k++) keys.push((await apiKeys.create(user.id, `hostile ${k}`)).key);
    const connected: Person['accounts'] = [];
    for (const email of emails) {
      const result = await connectWithAutoApprove(stack, user.id, email);
      if (result.status !== 200) throw new Error(`connecting ${email} answered ${result.status}`);
      const list = await stack.app.parts.frontDoor.connections.list(user.id);
      const found = list.find((c) => c.email === email);
      if (!found) throw new Error(`no connection for ${email}`);
      connected.push({ email, connectionId: found.id });
    }
    // One "connected as …" notice per account, delivered by the outbox on its own time.
    await stack.chat?.inbox(telegramId, { count: 1 + emails.length, timeoutMs: 30_000 });
    people.push({ userId: user.id, telegramId, keys, accounts: connected });
  }
  await stack.control('/auto-approve', { method: 'DELETE' });

  const config = stack.app.services.config;
  const secrets = () => {
    const planted = new Map<string, string>([
      ['master key', stack.masterKey],
      ['client secret', CLIENT_SECRET],
      ['bot token', config.telegram.botToken ?? ''],
      ['webhook secret', WEBHOOK_SECRET],
      ['metrics token', METRICS_TOKEN],
    ]);
    for (const [p, person] of people.entries()) {
      for (const [k, key] of person.keys.entries()) planted.set(`API key ${p}.${k}`, key);
    }
    let t = 0;
    for (const token of tokens) planted.set(`Google token ${t++}`, token);
    return planted;
  };
  // A connection per request: a refusal that leaves a body unread may end its connection,
  // which a kept-alive socket would report as the next request's failure.
  const agent = new http.Agent({ keepAlive: false });
  const base = new URL(stack.app.url);

  return {
    stack,
    url: stack.app.url,
    people,
    secrets,
    leaks(text) {
      return [...secrets()]
        .filter(([, value]) => value !== '' && text.includes(value))
        .map(([name]) => name);
    },
    send(request) {
      return new Promise((resolve, reject) => {
        const outgoing = http.request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method: request.method,
            path: request.path,
            // Framed like any client frames a body (Node sends none for DELETE otherwise).
            headers: {
              ...(request.body === undefined
                ? {}
                : { 'content-length': String(Buffer.byteLength(request.body)) }),
              ...request.headers,
            },
          },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('end', () => {
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(incoming.headers)) {
                if (value !== undefined) headers[name] = String(value);
              }
              resolve({
                status: incoming.statusCode ?? 0,
                headers,
                body: Buffer.concat(chunks).toString('utf8'),
              });
            });
            incoming.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(request.body);
      });
    },
    admin(data) {
      return new Promise((resolve, reject) => {
        const socket = net.connect(adminSocketPath(config.dataDir));
        let answer = '';
        socket.setEncoding('utf8');
        socket.on('connect', () => {
          socket.write(data);
          // Without a line break the server waits for more: say that nothing more comes.
          if (!data.includes('\n')) socket.end();
        });
        socket.on('data', (chunk: string) => {
          answer += chunk;
        });
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    },
    async close() {
      agent.destroy();
      await stack.close();
    },
  };
}
