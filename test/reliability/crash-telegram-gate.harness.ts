/**
 * A pass-through in front of the Telegram sandbox for the crash-safety suite: while `hold`
 * is on, the bot's `sendMessage` calls are kept waiting (never answered), so the process
 * dies with a notification in flight and the next ones queued behind it.
 */
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts the gate; `held()` resolves at the next message it holds. */
export async function startTelegramGate(upstream: string) {
  let holding = false;
  let heldOne: () => void = () => {};
  const waiting = new Set<ServerResponse>();
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (holding && request.url?.endsWith('/sendMessage')) {
      waiting.add(response);
      response.on('close', () => waiting.delete(response));
      heldOne();
      return;
    }
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    try {
      const answer = await fetch(`${upstream}${request.url}`, {
        method: request.method ?? 'GET',
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        signal: abort.signal,
      });
      const body = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      response.end(body);
    } catch {
      response.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold(on: boolean) {
      holding = on;
      if (!on) for (const response of waiting) response.destroy();
    },
    held: () =>
      new Promise<void>((resolve) => {
        heldOne = resolve;
      }),
    async close() {
      for (const response of waiting) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
