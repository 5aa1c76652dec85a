/**
 * `POST /batch/gmail/v1`: runs up to 100 Gmail calls from one multipart request. Each call
 * is dispatched through the same server (so it is authorized, counted and quota-charged
 * on its own) with the outer Authorization header unless it carries its own; calls fail
 * individually. The calls run at once, so each takes a slot of its user's concurrency
 * limit first, in order, until its answer: the ones past the limit are answered 429
 * "Too many concurrent requests for user." without running.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GmailSlot, SandboxContext } from '../context.ts';
import { type BatchAnswer, type BatchCall, formatBatch, parseBatch } from './batch-format.ts';
import { parseStructured } from './mime-headers.ts';
import { sendInvalid } from './route-support.ts';

const MAX_CALLS = 100;
const JSON_TYPE = { 'Content-Type': 'application/json; charset=UTF-8' };
const CONCURRENCY_MESSAGE = 'Too many concurrent requests for user.';

function errorBody(code: number, message: string, reason: string, status: string): string {
  return JSON.stringify({
    error: { code, message, errors: [{ message, domain: 'global', reason }], status },
  });
}

async function dispatch(
  app: FastifyInstance,
  call: BatchCall | undefined,
  authorization: string | undefined,
  slot: GmailSlot | null,
): Promise<BatchAnswer> {
  const json = JSON_TYPE;
  if (!call) {
    const body = errorBody(400, 'Failed to parse batch part.', 'badRequest', 'INVALID_ARGUMENT');
    return { contentId: '', status: 400, headers: json, body };
  }
  if (!call.url.startsWith('/gmail/v1/')) {
    const body = errorBody(404, 'Not Found', 'notFound', 'NOT_FOUND');
    return { contentId: call.contentId, status: 404, headers: json, body };
  }
  const headers: Record<string, string> = { ...call.headers, ...slot?.headers };
  if (!headers.authorization && authorization) headers.authorization = authorization;
  const response = await app.inject({
    method: call.method as 'GET',
    url: call.url,
    headers,
    ...(call.body.length > 0 ? { payload: call.body } : {}),
  });
  const type = response.headers['content-type'];
  return {
    contentId: call.contentId,
    status: response.statusCode,
    headers: {
      'Content-Type': typeof type === 'string' ? type : 'application/json; charset=UTF-8',
      Vary: 'Origin, X-Origin, Referer',
    },
    body: response.body,
  };
}

/** The answer of a call refused for the user's concurrency limit. */
function refusedAnswer(call: BatchCall): BatchAnswer {
  const body = errorBody(429, CONCURRENCY_MESSAGE, 'rateLimitExceeded', 'RESOURCE_EXHAUSTED');
  return { contentId: call.contentId, status: 429, headers: { ...JSON_TYPE }, body };
}

/**
 * Runs the calls at once: every Gmail call takes its slot first (in order, before any
 * runs), then runs and frees it once answered; a call without a slot is refused.
 */
function runAll(
  app: FastifyInstance,
  ctx: SandboxContext,
  calls: readonly (BatchCall | undefined)[],
  authorization: string | undefined,
): Promise<BatchAnswer[]> {
  const hold = ctx.holdGmailSlot;
  const slotted = calls.map((call) => {
    if (!call || !hold || !call.url.startsWith('/gmail/v1/')) return { call, slot: null };
    return {
      call,
      slot: hold(call.headers.authorization ?? authorization) ?? ('refused' as const),
    };
  });
  return Promise.all(
    slotted.map(async ({ call, slot }) => {
      if (call && slot === 'refused') return refusedAnswer(call);
      const held = slot === 'refused' ? null : slot;
      try {
        return await dispatch(app, call, authorization, held);
      } finally {
        held?.release();
      }
    }),
  );
}

export function registerBatchRoute(app: FastifyInstance, ctx: SandboxContext): void {
  app.register(async (scope) => {
    scope.addContentTypeParser('multipart/mixed', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/batch/gmail/v1', async (request, reply): Promise<FastifyReply | string> => {
      const boundary = parseStructured(request.headers['content-type']).params.boundary;
      if (!boundary || !Buffer.isBuffer(request.body)) {
        return sendInvalid(
          ctx,
          reply,
          'Invalid multipart request with 0 mime parts.',
          'badRequest',
        );
      }
      const calls = parseBatch(request.body, boundary);
      if (calls.length === 0) {
        return sendInvalid(
          ctx,
          reply,
          'Invalid multipart request with 0 mime parts.',
          'badRequest',
        );
      }
      if (calls.length > MAX_CALLS) {
        return sendInvalid(
          ctx,
          reply,
          `Exceeded the maximum calls(${MAX_CALLS}) in a single batch request.`,
          'badRequest',
        );
      }
      const authorization = request.headers.authorization;
      const answers = await runAll(app, ctx, calls, authorization);
      const outer = `batch_${randomBytes(9).toString('base64url')}`;
      reply.header('content-type', `multipart/mixed; boundary=${outer}`);
      return formatBatch(answers, outer);
    });
  });
}
