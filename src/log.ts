/**
 * The logger: pino, with every place a secret can hide redacted — authorization headers,
 * cookies, OAuth parameters in URLs, what people wrote or paged with in a URL (search
 * queries, page tokens, names, e-mail addresses), secret-named fields at any depth of a
 * logged object,
 * and any string that looks like a bot token, a Google token or an OAuth authorization
 * code, wherever it appears (message, field, error message or stack). Errors are logged as
 * their type, message, stack and codes only: the payloads some libraries attach to their
 * errors (request bodies, whole bot contexts) never reach a log line.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Field names whose values never reach a log line, at any depth (compared lower-cased). */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'set-cookie',
    'x-telegram-bot-api-secret-token',
    'access_token',
    'accessToken',
    'refresh_token',
    'refreshToken',
    'id_token',
    'idToken',
    'code_verifier',
    'codeVerifier',
    'client_secret',
    'clientSecret',
    'password',
    'secret',
    'secret_token',
    'token',
    'apiKey',
    'api_key',
    'masterKey',
    'ciphertext',
    'token_ciphertext',
  ].map((key) => key.toLowerCase()),
);

/**
 * Shapes of secrets in free text: a Telegram bot token (`123456:AA…`), Google access
 * (`ya29.…`) and refresh (`1//…`) tokens, and Google authorization codes (`4/0…`).
 */
const SECRET_SHAPES: readonly RegExp[] = [
  /\d+:[A-Za-z0-9_-]{30,}/g,
  /ya29\.[A-Za-z0-9._-]+/g,
  /1\/\/[A-Za-z0-9._-]+/g,
  /\b4\/0[A-Za-z0-9._-]{10,}/g,
];

const CENSOR = '[redacted]';
const MAX_DEPTH = 8;
const MAX_ITEMS = 100;

/**
 * Query parameters whose values never reach a log line (compared lower-cased): OAuth and
 * link secrets; what people wrote (a Gmail search, any free-text field); where they paged
 * to (page tokens are Google's cursors into their mail); and the names Telegram adds to a
 * connect link.
 */
const REDACTED_PARAMS: ReadonlySet<string> = new Set([
  'code',
  'state',
  'ticket',
  'token',
  'access_token',
  'refresh_token',
  'key',
  'secret',
  'id_token',
  'hash',
  'q',
  'query',
  'search',
  'text',
  'subject',
  'body',
  'message',
  'pagetoken',
  'page_token',
  'nextpagetoken',
  'next_page_token',
  'cursor',
  'email',
  'first_name',
  'last_name',
  'username',
  'photo_url',
]);

/** An `@`, as written or percent-encoded: the value names an e-mail address. */
const AT_SIGN = /@|%40/i;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** One `name=value` pair of a query string, its value redacted when it must not be logged. */
function redactPair(pair: string): string {
  const equals = pair.indexOf('=');
  const name = equals < 0 ? pair : pair.slice(0, equals);
  if (AT_SIGN.test(name)) return CENSOR;
  if (equals < 0) return pair;
  const value = pair.slice(equals + 1);
  const hide = value !== '' && (REDACTED_PARAMS.has(decodedName(name)) || AT_SIGN.test(value));
  return hide ? `${name}=${CENSOR}` : pair;
}

/**
 * A URL or path as it may be logged: secret, written and paging query values replaced,
 * any query value holding an e-mail address replaced, and a bot token in the path hidden.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const withoutFragment = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = withoutFragment.indexOf('?');
  const path = (queryAt < 0 ? withoutFragment : withoutFragment.slice(0, queryAt)).replace(
    /\/bot\d+:[A-Za-z0-9_-]+/g,
    '/bot[redacted]',
  );
  const query =
    queryAt < 0
      ? ''
      : `?${withoutFragment
          .slice(queryAt + 1)
          .split('&')
          .map(redactPair)
          .join('&')}`;
  return scrubSecrets(path + query);
}

/** Text with anything shaped like a token or an authorization code replaced. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, CENSOR);
  return out;
}

/** The fields of an error worth logging: never its attached payloads. */
function errorFields(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const own = error as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {
    type: typeof own.type === 'string' ? own.type : error.name || error.constructor?.name,
    message: scrubSecrets(String(error.message ?? '')),
  };
  for (const key of ['code', 'error_code', 'errno', 'syscall', 'status', 'statusCode', 'method']) {
    const value = own[key];
    if (typeof value === 'number') fields[key] = value;
    else if (typeof value === 'string') fields[key] = scrubSecrets(value);
  }
  if (typeof own.description === 'string') fields.description = scrubSecrets(own.description);
  if (own.details && typeof own.details === 'object') {
    fields.details = sanitize(own.details, seen, depth + 1);
  }
  if (typeof error.stack === 'string') fields.stack = scrubSecrets(error.stack);
  if (error.cause !== undefined && depth < MAX_DEPTH) {
    fields.cause = sanitize(error.cause, seen, depth + 1);
  }
  return fields;
}

/**
 * A copy of `value` that is safe to log: secret-named fields censored at any depth,
 * secret-shaped strings censored, errors reduced to their loggable fields, cycles and
 * depth cut.
 */
export function sanitize(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]';
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested]';
  seen.add(value);
  if (value instanceof Error) return errorFields(value, seen, depth);
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ITEMS).map((item) => sanitize(item, seen, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : sanitize(item, seen, depth + 1);
  }
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tidings' },
      formatters: {
        log(object) {
          const out: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(object)) {
            // Requests and replies have serializers of their own, which pick safe fields.
            if (key === 'req' || key === 'res') out[key] = value;
            else out[key] = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : sanitize(value);
          }
          return out;
        },
      },
      serializers: {
        // Already reduced by the formatter; an error that reaches here is reduced too.
        err: (error: unknown) => sanitize(error),
        msg: (message: unknown) => (typeof message === 'string' ? scrubSecrets(message) : message),
        req(request: { method?: string; url?: string; id?: string; ip?: string }) {
          return { id: request.id, method: request.method, url: redactUrl(request.url ?? '') };
        },
        res(reply: { statusCode?: number }) {
          return { statusCode: reply.statusCode };
        },
      },
    },
    destination,
  );
}
