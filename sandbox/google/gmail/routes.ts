/**
 * Mounts every Gmail API v1 route of the sandbox on the core's Fastify app.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { registerBatchRoute } from './routes-batch.ts';
import { registerHistoryRoutes } from './routes-history.ts';
import { registerLabelRoutes } from './routes-labels.ts';
import { registerMessageRoutes } from './routes-messages.ts';
import { registerThreadRoutes } from './routes-threads.ts';
import type { GmailStore } from './store.ts';

export function registerGmailRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: GmailStore,
): void {
  registerMessageRoutes(app, ctx, store);
  registerThreadRoutes(app, ctx, store);
  registerLabelRoutes(app, ctx, store);
  registerHistoryRoutes(app, ctx, store);
  registerBatchRoute(app, ctx);
}
