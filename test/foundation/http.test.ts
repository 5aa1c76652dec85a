/**
 * The HTTP skeleton as a client sees it: health and readiness, metrics behind a token,
 * request ids, problem responses for unknown routes and oversized bodies, and request
 * logs that never carry a secret. Runs the real `startApp` on port 0, on every database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { DATABASES, type TestDatabaseHandle } from '../support/databases.harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** Captures every log line; `waitFor` resolves when a matching line has been written. */
function captureLogs() {
  const lines: string[] = [];
  const waiters: { test: (entry: Record<string, unknown>) => boolean; done: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (lines.some((line) => waiter.test(JSON.parse(line) as Record<string, unknown>))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done();
      }
    }
  };
  return {
    lines,
    stream: {
      write(line: string) {
        lines.push(line);
        check();
      },
    },
    waitFor(test: (entry: Record<string, unknown>) => boolean): Promise<void> {
      return new Promise((done) => {
        waiters.push({ test, done });
        check();
      });
    },
  };
}

for (const database of DATABASES) {
  describe(`the HTTP server on ${database.name}`, () => {
    let app: RunningApp | null = null;
    let handle: TestDatabaseHandle | null = null;
    let dataDir: string | null = null;
    let logs = captureLogs();

    async function start(env: Record<string, string> = {}): Promise<string> {
      dataDir = await mkdtemp(path.join(tmpdir(), 'tidings-http-'));
      handle = await database.open();
      logs = captureLogs();
      const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ...env });
      app = await startApp(config, {
        logger: createLogger('info', logs.stream),
        database: handle,
      });
      return app.url;
    }

    afterEach(async () => {
      await app?.stop();
      await handle?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      app = null;
      handle = null;
      dataDir = null;
    });

    it('answers /healthz with status ok', async () => {
      const url = await start();
      const response = await fetch(`${url}/healthz`);
      expect({ status: response.status, body: await response.json() }).toStrictEqual({
        status: 200,
        body: { status: 'ok' },
      });
    });

    it('answers /readyz with 200 while the database answers and 503 once it is closed', async () => {
      const url = await start();
      const before = await fetch(`${url}/readyz`);
      expect({ status: before.status, body: await before.json() }).toStrictEqual({
        status: 200,
        body: { status: 'ready', database: 'ok' },
      });
      const closing = handle;
      handle = null;
      await closing?.close();
      const after = await fetch(`${url}/readyz`);
      expect({ status: after.status, body: await after.json() }).toStrictEqual({
        status: 503,
        body: { status: 'unavailable', database: 'unreachable' },
      });
    });

    it('refuses /metrics with a not_configured problem when METRICS_TOKEN is not set', async () => {
      const url = await start();
      const response = await fetch(`${url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect({
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      }).toStrictEqual({
        status: 503,
        type: 'application/problem+json; charset=utf-8',
        body: {
          type: 'https://tidings.dev/problems/not_configured',
          title: 'Not configured',
          status: 503,
          code: 'not_configured',
          detail: 'Metrics are off until METRICS_TOKEN is set.',
          settings: ['METRICS_TOKEN'],
        },
      });
    });

    it('refuses /metrics with an unauthorized problem for a missing or wrong token', async () => {
      const url = await start({ METRICS_TOKEN });
      const unauthorized = {
        type: 'https://tidings.dev/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
        code: 'unauthorized',
        detail: 'A valid metrics token is required.',
      };
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-0123456789abcdef' },
        { authorization: `Bearer ${METRICS_TOKEN}x` },
        { authorization: METRICS_TOKEN },
        { authorization: `Basic ${METRICS_TOKEN}` },
      ];
      const answers = [];
      for (const headers of attempts) {
        const response = await fetch(`${url}/metrics`, { headers });
        answers.push({
          status: response.status,
          challenge: response.headers.get('www-authenticate'),
          body: await response.json(),
        });
      }
      expect(answers).toStrictEqual(
        attempts.map(() => ({
          status: 401,
          challenge: 'Bearer realm="metrics"',
          body: unauthorized,
        })),
      );
    });

    it('serves Prometheus metrics to the right token', async () => {
      const url = await start({ METRICS_TOKEN });
      await fetch(`${url}/healthz`);
      const response = await fetch(`${url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const text = await response.text();
      expect({
        status: response.status,
        type: response.headers.get('content-type'),
        counted: text.includes(
          'tidings_http_requests_total{method="GET",route="/healthz",status="200"} 1',
        ),
        processMetrics: text.includes('tidings_process_cpu_seconds_total'),
      }).toStrictEqual({
        status: 200,
        type: 'text/plain; version=0.0.4; charset=utf-8',
        counted: true,
        processMetrics: true,
      });
    });

    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

    it('echoes a given x-request-id and generates one otherwise', async () => {
      const url = await start();
      const given = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'req-42.a_b' } });
      const first = await fetch(`${url}/healthz`);
      const second = await fetch(`${url}/healthz`);
      expect({
        given: given.headers.get('x-request-id'),
        generated: [first, second].map((r) => uuid.test(r.headers.get('x-request-id') ?? '')),
        distinct: first.headers.get('x-request-id') !== second.headers.get('x-request-id'),
      }).toStrictEqual({ given: 'req-42.a_b', generated: [true, true], distinct: true });
    });

    it('replaces a malformed or overlong x-request-id with a generated one', async () => {
      const url = await start();
      const ids = ['has spaces and "quotes"', 'a'.repeat(65)];
      const echoed = [];
      for (const id of ids) {
        const response = await fetch(`${url}/healthz`, { headers: { 'x-request-id': id } });
        echoed.push(uuid.test(response.headers.get('x-request-id') ?? ''));
      }
      expect(echoed).toStrictEqual([true, true]);
    });

    it('answers an unknown route with a not_found problem', async () => {
      const url = await start();
      const response = await fetch(`${url}/no/such/route?x=1`, { method: 'POST' });
      expect({
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      }).toStrictEqual({
        status: 404,
        type: 'application/problem+json; charset=utf-8',
        body: {
          type: 'https://tidings.dev/problems/not_found',
          title: 'Not found',
          status: 404,
          code: 'not_found',
          detail: 'No route for POST /no/such/route',
        },
      });
    });

    it('answers a 2 MB body with a payload_too_large problem', async () => {
      const url = await start();
      const response = await fetch(`${url}/healthz`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filler: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect({
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      }).toStrictEqual({
        status: 413,
        type: 'application/problem+json; charset=utf-8',
        body: {
          type: 'https://tidings.dev/problems/payload_too_large',
          title: 'Payload too large',
          status: 413,
          code: 'payload_too_large',
          detail: 'The request body is larger than this endpoint accepts.',
        },
      });
    });

    it('keeps bearer tokens, cookies and OAuth parameters out of the request logs', async () => {
      const url = await start();
      const secrets = {
        bearer: 'ya29.secret-access-token-AbC123',
        cookie: 'secret-oauth-cookie-XyZ789',
        code: '4/0secret-authorization-code',
        state: 'secret-state-value-123',
        ticket: 'secret-ticket-value-456',
      };
      const response = await fetch(
        `${url}/oauth/google/callback?code=${encodeURIComponent(secrets.code)}` +
          `&state=${secrets.state}&ticket=${secrets.ticket}&scope=email`,
        {
          headers: {
            authorization: `Bearer ${secrets.bearer}`,
            cookie: `tidings_oauth=${secrets.cookie}`,
            'x-request-id': 'secret-carrying-request',
          },
        },
      );
      await response.arrayBuffer();
      await logs.waitFor(
        (entry) => entry.reqId === 'secret-carrying-request' && entry.msg === 'request completed',
      );
      app?.services.logger.info(
        {
          headers: { authorization: `Bearer ${secrets.bearer}`, cookie: secrets.cookie },
          code: secrets.code,
        },
        'an object carrying secrets',
      );
      const text = logs.lines.join('');
      const redactedUrl =
        '/oauth/google/callback?code=[redacted]&state=[redacted]&ticket=[redacted]&scope=email';
      expect({
        leaked: Object.entries(secrets)
          .filter(
            ([, secret]) => text.includes(secret) || text.includes(encodeURIComponent(secret)),
          )
          .map(([name]) => name),
        urlRedacted: logs.lines.some((line) => JSON.parse(line).req?.url === redactedUrl),
        objectRedacted: logs.lines.some((line) => {
          const entry = JSON.parse(line);
          return (
            entry.msg === 'an object carrying secrets' &&
            entry.headers.authorization === '[redacted]' &&
            entry.headers.cookie === '[redacted]' &&
            entry.code === '[redacted]'
          );
        }),
      }).toStrictEqual({ leaked: [], urlRedacted: true, objectRedacted: true });
    });
  });
}
