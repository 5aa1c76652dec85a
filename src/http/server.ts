/**
 * The Fastify app: request ids, redacted logging, security headers, problem responses for
 * every error, health and readiness, metrics. Feature routes are registered by the
 * composition root through `register`. Each request is logged once, when it completes
 * (method, redacted URL, status, time), not also when it arrives: half the log work of a
 * request, with nothing lost that the completed line does not say.
 */
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { TidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { secretEquals } from '../common/index.ts';
import type { Metrics } from '../metrics.ts';
import { registerFavicon } from './favicon.ts';
import { useJsonBodyParser } from './json-body.ts';
import { type Problem, problemOf, sendProblem } from './problem.ts';
import { parseQueryString } from './query-string.ts';

export interface HttpServerDeps {
  logger: Logger;
  metrics: Metrics;
  metricsToken: string | null;
  /** Resolves when the database answers; throws when it does not. */
  ready: () => Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** The longest path parameter the router accepts. */
const MAX_PARAM_LENGTH = 512;

/**
 * Fastify's request log lines, one per request: nothing when it arrives, and on
 * completion the request (id, method, redacted URL), the status and the time taken.
 * Error lines (a failed response, a broken stream) are Fastify's own.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    reply.log.info(
      { req: request, res: reply, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
}

export function createHttpServer(deps: HttpServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Not `requestIdHeader`: Fastify would take the header verbatim and skip genReqId, so
    // any client-chosen id would be echoed and logged. genReqId decides for every request.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new OneLinePerRequest(),
    bodyLimit: 1024 * 1024,
    // Fastify's defaults, said here because `json-body.ts` answers them by name.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: false,
    // Fastify's parsing, plus a note of the first parameter that is not valid
    // percent-encoded UTF-8, which `/v1` refuses (`malformedParameter`).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, querystringParser: parseQueryString },
    // A URL the router cannot read (broken percent-encoding, an overlong path segment)
    // is bad input like any other: a problem with a stable code, not Fastify's own JSON.
    frameworkErrors: (error, _request, reply) => {
      const overlong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      sendProblem(reply, {
        type: 'https://tidings.dev/problems/invalid_request',
        title: 'Invalid request',
        status: 400,
        code: 'invalid_request',
        detail: overlong
          ? `A path segment is longer than ${MAX_PARAM_LENGTH} characters.`
          : 'The request path is not valid percent-encoded UTF-8.',
        field: 'path',
      });
    },
  });

  useJsonBodyParser(app);

  app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({
      method: request.method,
      route,
      status: String(reply.statusCode),
    });
    deps.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, {
      type: 'https://tidings.dev/problems/not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
    });
  });

  app.setErrorHandler((error: FastifyError | TidingsError, request, reply) => {
    if (error instanceof TidingsError)
      return sendProblem(reply, problemOf(error, request.url.split('?')[0]));
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 413) {
      return sendProblem(reply, {
        type: 'https://tidings.dev/problems/payload_too_large',
        title: 'Payload too large',
        status: 413,
        code: 'payload_too_large',
        detail: 'The request body is larger than this endpoint accepts.',
      });
    }
    if (status === 429) {
      const wait = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      return sendProblem(reply, {
        type: 'https://tidings.dev/problems/rate_limited',
        title: 'Too many requests',
        status: 429,
        code: 'rate_limited',
        detail: error.message || 'Slow down: too many requests.',
        ...(typeof wait === 'number' ? { retry_after: wait } : {}),
      });
    }
    if (status >= 400 && status < 500) {
      const field =
        (error as FastifyError).validation?.[0]?.instancePath?.replace(/^\//, '') ?? undefined;
      const problem: Problem = {
        type: 'https://tidings.dev/problems/invalid_request',
        title: 'Invalid request',
        status: 400,
        code: 'invalid_request',
        detail: error.message,
      };
      if (field) problem.field = field;
      return sendProblem(reply, problem);
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, {
      type: 'https://tidings.dev/problems/internal_error',
      title: 'Internal error',
      status: 500,
      code: 'internal_error',
      detail: 'Something went wrong on our side; it has been logged.',
      instance: request.id,
    });
  });

  registerFavicon(app);
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.ready();
      return { status: 'ready', database: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.get('/metrics', async (request, reply) => {
    if (!deps.metricsToken) {
      return sendProblem(
        reply,
        problemOf(
          new TidingsError('not_configured', 'Metrics are off until METRICS_TOKEN is set.', {
            settings: ['METRICS_TOKEN'],
          }),
        ),
      );
    }
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!secretEquals(given, deps.metricsToken)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendProblem(
        reply,
        problemOf(new TidingsError('unauthorized', 'A valid metrics token is required.')),
      );
    }
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  return app;
}
