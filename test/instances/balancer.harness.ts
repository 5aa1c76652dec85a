/**
 * A tiny load balancer in front of several `tidings start` processes, as `PUBLIC_URL`:
 * every request (the Telegram sandbox's webhook deliveries, browsers following connect
 * links and OAuth redirects) goes to the next instance in turn — no sticky sessions. An
 * instance that refuses the connection (stopped or killed) is skipped for the next one,
 * as a load balancer's health check would. `pin` sends everything to one instance for a
 * while. It counts the webhook deliveries each instance acknowledged, with how long each
 * took to be answered.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** Sends every request to this instance (null: round robin again). */
  pin(index: number | null): void;
  /** Webhook deliveries answered 200, by instance. */
  readonly webhooks: number[];
  /** How long each webhook delivery took to be answered (ms), in order, all instances. */
  readonly ackMs: number[];
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function forward(target: string, incoming: IncomingMessage, body: Buffer): Promise<Answer> {
  const url = new URL(incoming.url ?? '/', target);
  const headers = { ...incoming.headers, host: url.host };
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: incoming.method ?? 'GET', headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Whether a failed forward never reached the instance (so another may take the request). */
function unreachable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET';
}

export async function startBalancer(targets: readonly string[]): Promise<Balancer> {
  let next = 0;
  let pinned: number | null = null;
  const webhooks = targets.map(() => 0);
  const ackMs: number[] = [];
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const first = pinned ?? next++ % targets.length;
    const webhook = incoming.method === 'POST' && incoming.url === '/telegram/webhook';
    for (let tried = 0; tried < targets.length; tried++) {
      const index = (first + tried) % targets.length;
      const started = performance.now();
      try {
        const answer = await forward(targets[index]!, incoming, body);
        if (webhook && answer.status === 200) {
          webhooks[index]! += 1;
          ackMs.push(performance.now() - started);
        }
        outgoing.writeHead(answer.status, answer.headers);
        outgoing.end(answer.body);
        return;
      } catch (error) {
        if (!unreachable(error)) break;
      }
    }
    outgoing.writeHead(502, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify({ ok: false, error: 'no instance answered' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pin(index) {
      pinned = index;
    },
    webhooks,
    ackMs,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
