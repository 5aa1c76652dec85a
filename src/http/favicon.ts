/**
 * Tidings' icon, so the pages it serves (connect, consent results) show one in the tab and
 * the browser's own `/favicon.ico` request is answered instead of logged as a 404. One
 * small SVG, served for both the conventional path and `/favicon.svg`, cached for a day.
 */
import type { FastifyInstance } from 'fastify';

/** A speech bubble with an envelope fold: mail, read in a chat. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<path d="M8 10h48a4 4 0 0 1 4 4v30a4 4 0 0 1-4 4H26l-12 10v-10H8a4 4 0 0 1-4-4V14a4 4 0 0 1 4-4z" fill="#1f6feb"/>
<path d="M12 18l20 14 20-14" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;

export function registerFavicon(app: FastifyInstance, icon: string = ICON): void {
  for (const url of ['/favicon.ico', '/favicon.svg']) {
    app.get(url, { logLevel: 'warn' }, async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon),
    );
  }
}
