/**
 * The logger: pino, with every place a secret can hide redacted — authorization headers,
 * cookies, OAuth parameters in URLs, token fields in any logged object.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

const SECRET_KEYS = [
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
  'code',
  'code_verifier',
  'client_secret',
  'clientSecret',
  'password',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'masterKey',
  'ciphertext',
  'token_ciphertext',
];

const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]+$/.test(key) ? key : `["${key}"]`)),
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]+$/.test(key) ? `*.${key}` : `*["${key}"]`)),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'res.headers["set-cookie"]',
];

/** Query parameters whose values never reach a log line. */
const SECRET_QUERY =
  /([?&](?:code|state|ticket|token|access_token|refresh_token|key|secret|id_token)=)[^&#]*/gi;

/** A URL or path with secret query values replaced. */
export function redactUrl(url: string): string {
  return url
    .replace(SECRET_QUERY, '$1[redacted]')
    .replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[redacted]');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'tidings' },
      serializers: {
        err: pino.stdSerializers.err,
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
