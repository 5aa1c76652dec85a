/**
 * The sandboxes' icon (a grey "S" in a square), so their pages (the consent page, the web
 * chat) load without a 404 for `/favicon.ico`, and the tab of a stand-in is not mistaken
 * for one of Tidings.
 */
import type { FastifyInstance } from 'fastify';

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect x="4" y="4" width="56" height="56" rx="10" fill="#57606a"/>
<text x="32" y="45" font-family="sans-serif" font-size="38" font-weight="700" fill="#fff" text-anchor="middle">S</text>
</svg>
`;

export function registerSandboxFavicon(app: FastifyInstance): void {
  app.get('/favicon.ico', async (_request, reply) => reply.type('image/svg+xml').send(ICON));
}
