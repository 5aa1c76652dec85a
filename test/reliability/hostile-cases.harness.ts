/**
 * What the hostile-input suite sends to the server's HTTP doors and admin socket, as
 * fast-check arbitraries: `/v1` requests (hostile and plausible), JSON-RPC to `/mcp`, the
 * OAuth routes with made-up values and cookies, and admin socket lines of every shape.
 */
import fc from 'fast-check';
import type { RawRequest } from './hostile-stack.harness.ts';
import {
  authorization,
  CONTENT_TYPES,
  day,
  extraHeaders,
  headerValue,
  jsonBody,
  queryString,
  text,
  urlText,
  V1_PARAMS,
} from './hostile-text.harness.ts';

/** Routes of `/v1` (`:id` is filled with anything), and the server's other doors. */
const PATHS = [
  '/v1/gmail/messages',
  '/v1/gmail/messages/:id',
  '/v1/gmail/threads/:id',
  '/v1/gmail/unread',
  '/v1/calendar/agenda',
  '/v1/calendar/freebusy',
  '/v1/calendar/next',
  '/v1/actions',
  '/v1/connections',
  '/v1/connect-links',
  '/v1/openapi.json',
  '/v1/docs',
  '/v1/tools/gmail.search',
  '/v1/tools/gmail.read',
  '/v1/tools/gmail.unread',
  '/v1/tools/calendar.agenda',
  '/v1/tools/calendar.freebusy',
  '/v1/tools/calendar.next',
  '/v1/tools/actions.extract',
  '/v1/tools/:id',
  '/v1/:id',
  '/v1/:id/:id',
  '/healthz',
  '/readyz',
  '/metrics',
  '/google/risc',
  '/',
  '/:id',
  '/:id/:id/:id',
] as const;

function fill(template: string, segments: string[]): string {
  let i = 0;
  return template.replace(/:id/g, () => segments[i++] ?? 'x');
}

/** A request to `/v1`: any route, method, query, key, headers and body. */
const hostileV1 = (keys: readonly string[]) =>
  fc
    .record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant('GET') },
        { weight: 3, arbitrary: fc.constant('POST') },
        { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
      ),
      template: fc.constantFrom(...PATHS),
      segments: fc.array(
        urlText.filter((s) => s !== ''),
        { minLength: 2, maxLength: 2 },
      ),
      query: queryString(V1_PARAMS),
      auth: authorization(keys),
      headers: extraHeaders,
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
      body: fc.option(jsonBody, { nil: undefined }),
    })
    .map((r): RawRequest => {
      const headers: Record<string, string> = { ...r.headers };
      if (r.auth !== undefined) headers.authorization = r.auth;
      const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body;
      if (body !== undefined && r.contentType) headers['content-type'] = r.contentType;
      return {
        method: r.method,
        path: `${fill(r.template, r.segments)}${r.query}`,
        headers,
        ...(body === undefined ? {} : { body }),
      };
    });

/** Requests a client means: right routes, sound values, so the answers come from Google. */
const plausibleV1 = (keys: readonly string[]) =>
  fc
    .tuple(
      fc.oneof(
        fc
          .tuple(
            fc.oneof(fc.constantFrom('from:alice', 'is:unread', 'invoice', 'has:attachment'), text),
            fc.integer({ min: 1, max: 20 }),
          )
          .map(
            ([q, n]) =>
              `/v1/gmail/messages?q=${encodeURIComponent(q.replace(/[\uD800-\uDFFF]/g, ''))}&pageSize=${n}`,
          ),
        fc.constantFrom(
          '/v1/gmail/unread',
          '/v1/calendar/next',
          '/v1/connections',
          '/v1/actions?days=7',
        ),
        day.map((d) => `/v1/calendar/agenda?day=${d}`),
        fc
          .tuple(day, fc.integer({ min: 5, max: 120 }))
          .map(([d, m]) => `/v1/calendar/freebusy?from=${d}&to=${d}&minMinutes=${m}`),
        fc.stringMatching(/^[0-9a-f]{16}$/).map((id) => `/v1/gmail/messages/${id}`),
      ),
      fc.constantFrom(...keys),
    )
    .map(
      ([path, key]): RawRequest => ({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${key}` },
      }),
    );

/** `/v1` requests: mostly hostile, a quarter plausible. */
export const v1Request = (keys: readonly string[]) =>
  fc.oneof({ weight: 3, arbitrary: hostileV1(keys) }, { weight: 1, arbitrary: plausibleV1(keys) });

const TOOL_NAMES = [
  'gmail_search',
  'gmail_read',
  'gmail_unread',
  'calendar_agenda',
  'calendar_freebusy',
  'calendar_next',
  'actions_extract',
  'connections',
  'connect_link',
] as const;

const rpcId = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 10 }),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 1 }),
);
const rpcMessage = fc.record(
  {
    jsonrpc: fc.oneof(
      { weight: 5, arbitrary: fc.constant('2.0') },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    id: rpcId,
    method: fc.oneof(
      fc.constantFrom(
        'initialize',
        'tools/list',
        'tools/call',
        'tools/call',
        'tools/call',
        'ping',
        'notifications/initialized',
        'resources/list',
        'prompts/get',
      ),
      text,
    ),
    params: fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constantFrom(...TOOL_NAMES), text),
          arguments: fc.oneof(
            fc.dictionary(
              fc.constantFrom(...V1_PARAMS, 'query', 'messageId', 'threadId'),
              fc.jsonValue({ maxDepth: 2 }),
              { maxKeys: 4 },
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          protocolVersion: fc.oneof(fc.constant('2025-06-18'), text),
          capabilities: fc.jsonValue({ maxDepth: 1 }),
          clientInfo: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
  { requiredKeys: ['method'] },
);

/** A request to `/mcp`: JSON-RPC messages and batches, broken bodies, odd headers. */
const hostileMcp = (keys: readonly string[]) =>
  fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant('POST') },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT') },
      ),
      auth: authorization(keys),
      accept: fc.constantFrom(
        'application/json, text/event-stream',
        'application/json',
        'text/event-stream',
        '*/*',
        'x',
      ),
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'x'),
      body: fc.oneof(
        { weight: 5, arbitrary: rpcMessage.map((m) => JSON.stringify(m)) },
        {
          weight: 1,
          arbitrary: fc.array(rpcMessage, { maxLength: 3 }).map((m) => JSON.stringify(m)),
        },
        { weight: 2, arbitrary: jsonBody },
      ),
      query: queryString(['x', 'sessionId']),
    })
    .map(
      (r): RawRequest => ({
        method: r.method,
        path: `/mcp${r.query}`,
        headers: {
          ...(r.auth === undefined ? {} : { authorization: r.auth }),
          accept: r.accept,
          'content-type': r.contentType,
          'mcp-protocol-version': '2025-06-18',
        },
        ...(r.method === 'GET' ? {} : { body: r.body }),
      }),
    );

/** Well-formed tool calls with arguments of any kind. */
const plausibleMcp = (keys: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...keys),
      fc.constantFrom(...TOOL_NAMES),
      fc.dictionary(
        fc.constantFrom(
          'query',
          'messageId',
          'threadId',
          'day',
          'from',
          'to',
          'pageSize',
          'connection',
          'days',
        ),
        fc.oneof(text, fc.integer(), day),
        { maxKeys: 3 },
      ),
    )
    .map(
      ([key, name, args]): RawRequest => ({
        method: 'POST',
        path: '/mcp',
        headers: {
          authorization: `Bearer ${key}`,
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name, arguments: args },
        }),
      }),
    );

/** `/mcp` requests: mostly hostile, a third well-formed calls. */
export const mcpRequest = (keys: readonly string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: hostileMcp(keys) },
    { weight: 1, arbitrary: plausibleMcp(keys) },
  );

/** An OAuth route request: start (page and form) and callback, with made-up values and cookies. */
export const oauthRequest = fc
  .record({
    route: fc.constantFrom('start', 'start-form', 'callback', 'callback'),
    query: queryString([
      'ticket',
      'state',
      'code',
      'error',
      'error_description',
      'scope',
      'iss',
      'authuser',
      'prompt',
    ]),
    form: fc.array(fc.tuple(fc.constantFrom('ticket', 'x', '__proto__'), urlText), {
      maxLength: 3,
    }),
    contentType: fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=z',
    ),
    cookie: fc.option(
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('tidings_oauth', '__Host-tidings', 'tb_0123abcd'),
            fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
          ),
          headerValue,
        ),
        { maxLength: 3 },
      ),
      { nil: undefined },
    ),
  })
  .map((r): RawRequest => {
    const headers: Record<string, string> = {};
    const cookie = r.cookie
      ?.map(
        ([name, value]) => `${name.replace(/[^\x21-\x7e]|[;=,]/g, '')}=${value.replace(/;/g, '')}`,
      )
      .join('; ');
    if (cookie) headers.cookie = cookie;
    if (r.route === 'start-form') {
      headers['content-type'] = r.contentType;
      return {
        method: 'POST',
        path: `/oauth/google/start${r.query}`,
        headers,
        body: r.form.map(([k, v]) => `${k}=${v}`).join('&'),
      };
    }
    const path = r.route === 'start' ? '/oauth/google/start' : '/oauth/google/callback';
    return { method: 'GET', path: `${path}${r.query}`, headers };
  });

const ADMIN_COMMANDS = [
  'migrate',
  'keys.status',
  'keys.rotate',
  'users.add',
  'users.list',
  'users.connect-link',
  'connections.list',
  'connections.events',
  'connections.disconnect',
  'notifications.list',
  'api-keys.create',
  'api-keys.list',
  'api-keys.revoke',
  'api-keys.provision',
] as const;

/** A line to the admin socket: requests of every shape, and what is not JSON at all. */
export const adminLine = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record(
        {
          command: fc.oneof(
            fc.constantFrom(...ADMIN_COMMANDS),
            text,
            fc.jsonValue({ maxDepth: 1 }),
          ),
          args: fc.oneof(
            fc.array(fc.oneof(text, fc.constantFrom('--name', '--user', '--telegram-id')), {
              maxLength: 4,
            }),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((r) => `${JSON.stringify(r)}\n`),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => `${JSON.stringify(v)}\n`) },
  { weight: 1, arbitrary: text.map((t) => `${t}\n`) },
  { weight: 1, arbitrary: text },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"command":"users.list","args":[]}\n{"command":"x"}\n',
      `{"command":"${'x'.repeat(70_000)}","args":[]}\n`,
      '\n',
      '{"command":"users.list","args":[],"__proto__":{"args":1}}\n',
    ),
  },
);
