/**
 * Serves the web chat at `/chat` (`?user=<id>&name=<first name>`, default 1001 "Alex"):
 * one self-contained page assembled from chat-page.html, .css and .js, with a per-request
 * nonce in a strict Content-Security-Policy (no external resources, same-origin fetches
 * only). The page reads its user from the query string itself; nothing is templated in.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Reads the page parts once per server. */
export function loadChatPage(directory: string = import.meta.dirname): (nonce: string) => string {
  const read = (name: string): string => readFileSync(join(directory, name), 'utf8');
  const html = read('chat-page.html');
  const style = read('chat-page.css');
  const script = read('chat-page.js');
  return (nonce) =>
    html
      .replace('<style></style>', () => `<style nonce="${nonce}">\n${style}</style>`)
      .replace('<script></script>', () => `<script nonce="${nonce}">\n${script}</script>`);
}

export function registerChatPage(app: FastifyInstance): void {
  const render = loadChatPage();
  app.get('/chat', async (_request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header(
        'content-security-policy',
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; ` +
          "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      )
      .send(render(nonce));
  });
}
