/**
 * The whole environment, parsed once. This is the only module that reads `process.env`
 * (callers pass it in). Every problem is reported at once, with how to fix it; the result
 * is frozen and handed down.
 */
import path from 'node:path';
import { z } from 'zod';

const DEFAULT_SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const optional = <T extends z.ZodType>(inner: T) =>
  z.preprocess(emptyToUndefined, inner.optional());

const httpUrl = (hint: string) =>
  z
    .string()
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    }, `must be an http(s) URL, ${hint}`)
    .transform((value) => value.replace(/\/+$/, ''));

const withDefault = <T extends z.ZodType>(inner: T, value: z.input<T>) =>
  z.preprocess(emptyToUndefined, inner.default(value as never));

/** A whole number in [min, max] with a default; the message names the range and an example. */
const wholeNumber = (min: number, max: number, fallback: number, example: string) => {
  const message = `must be a whole number from ${min} to ${max}, e.g. ${example}`;
  return z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: message })
      .int(message)
      .min(min, message)
      .max(max, message)
      .default(fallback),
  );
};

const schema = z
  .object({
    NODE_ENV: z.preprocess(
      emptyToUndefined,
      z.enum(['development', 'production', 'test']).default('development'),
    ),
    HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
    PORT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ error: 'must be a port number, e.g. 8080' })
        .int('must be a whole number, e.g. 8080')
        .min(0, 'must be between 0 and 65535')
        .max(65535, 'must be between 0 and 65535')
        .default(8080),
    ),
    PUBLIC_URL: optional(httpUrl('e.g. https://tidings.example.com')),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
    CACHE_DIR: optional(z.string()),
    DATABASE_URL: optional(
      z
        .string()
        .regex(
          /^postgres(ql)?:\/\//,
          'must be a PostgreSQL URL, e.g. postgres://user:pass@host:5432/tidings',
        ),
    ),
    TIDINGS_MASTER_KEY: optionalString,
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    GOOGLE_ISSUER: withDefault(
      httpUrl('e.g. https://accounts.google.com'),
      'https://accounts.google.com',
    ),
    GOOGLE_RISC_ISSUER: withDefault(
      httpUrl('e.g. https://accounts.google.com/'),
      'https://accounts.google.com/',
    ),
    GOOGLE_RISC_SERVICE_ACCOUNT_FILE: optionalString,
    GOOGLE_RISC_API_ROOT: withDefault(
      httpUrl('e.g. https://risc.googleapis.com'),
      'https://risc.googleapis.com',
    ),
    GOOGLE_API_ROOT: withDefault(
      httpUrl('e.g. https://www.googleapis.com'),
      'https://www.googleapis.com',
    ),
    GOOGLE_SCOPES: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default(DEFAULT_SCOPES.join(' '))
        .transform((value) => value.split(/[\s,]+/).filter(Boolean)),
    ),
    TELEGRAM_BOT_TOKEN: optional(
      z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA… (from @BotFather)'),
    ),
    TELEGRAM_API_ROOT: withDefault(
      httpUrl('e.g. https://api.telegram.org'),
      'https://api.telegram.org',
    ),
    TELEGRAM_MODE: z.preprocess(
      emptyToUndefined,
      z.enum(['polling', 'webhook']).default('polling'),
    ),
    TELEGRAM_WEBHOOK_SECRET: optional(
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z a-z 0-9 _ -'),
    ),
    TELEGRAM_ALLOWED_USERS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be a comma-separated list of Telegram user ids')
        .transform((value) => value.split(',').map((id) => id.trim()))
        .optional(),
    ),
    LLM_BASE_URL: optional(httpUrl('e.g. http://127.0.0.1:11434/v1 (Ollama)')),
    LLM_MODEL: optional(z.string().trim().max(200, 'must be at most 200 characters')),
    LLM_API_KEY: optionalString,
    LLM_MAX_STEPS: wholeNumber(1, 8, 4, '4'),
    LLM_TIMEOUT_SECONDS: wholeNumber(1, 600, 30, '30'),
    LLM_MAX_OUTPUT_TOKENS: wholeNumber(64, 16_384, 800, '800'),
    WATCH_INTERVAL_SECONDS: wholeNumber(1, 3_600, 60, '60'),
    WATCH_RULES_PER_USER: wholeNumber(1, 1_000, 20, '20'),
    METRICS_TOKEN: optional(
      z.string().min(16, 'must be at least 16 characters (use: openssl rand -hex 24)'),
    ),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
  })
  .superRefine((env, ctx) => {
    const production = env.NODE_ENV === 'production';
    if (production && !env.TIDINGS_MASTER_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['TIDINGS_MASTER_KEY'],
        message:
          "is required in production (generate one: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\")",
      });
    }
    if (production && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required in production: the https URL users reach Tidings at',
      });
    }
    if (Boolean(env.GOOGLE_CLIENT_ID) !== Boolean(env.GOOGLE_CLIENT_SECRET)) {
      const missing = env.GOOGLE_CLIENT_ID ? 'GOOGLE_CLIENT_SECRET' : 'GOOGLE_CLIENT_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'must be set together with its pair (both come from the same Google OAuth client)',
      });
    }
    if (Boolean(env.LLM_BASE_URL) !== Boolean(env.LLM_MODEL)) {
      ctx.addIssue(
        env.LLM_BASE_URL
          ? {
              code: 'custom',
              path: ['LLM_MODEL'],
              message:
                'must be set together with LLM_BASE_URL: the name of a model that server serves, e.g. qwen2.5:7b-instruct',
            }
          : {
              code: 'custom',
              path: ['LLM_BASE_URL'],
              message:
                "must be set together with LLM_MODEL: the model server's OpenAI-compatible address, e.g. http://127.0.0.1:11434/v1",
            },
      );
    }
    if (env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_MODE=webhook (use: openssl rand -hex 32)',
      });
    }
    if (env.TELEGRAM_MODE === 'webhook' && env.PUBLIC_URL?.startsWith('http:') && production) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be https when TELEGRAM_MODE=webhook (Telegram only calls https webhooks)',
      });
    }
  });

/** The optional model behind free-text questions (`src/assistant/`). */
export interface LlmSettings {
  /** An OpenAI-compatible API root, usually ending in `/v1`, without trailing slash. */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer`; never logged. Null for local servers without keys. */
  readonly apiKey: string | null;
  /** Model calls per answer (tool rounds plus the final answer). */
  readonly maxSteps: number;
  /** The whole answer, every model call and tool run included. */
  readonly timeoutMs: number;
  /** Per model call. */
  readonly maxOutputTokens: number;
}

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** Where users reach this server; OAuth redirect URIs derive from it. */
  readonly publicUrl: string | null;
  readonly dataDir: string;
  /**
   * Where the migrated template for fresh embedded databases is cached; null for the
   * default place (`$XDG_CACHE_HOME/tidings`, else `~/.cache/tidings`).
   */
  readonly cacheDir: string | null;
  readonly databaseUrl: string | null;
  readonly masterKey: string | null;
  readonly google: {
    readonly clientId: string | null;
    readonly clientSecret: string | null;
    readonly issuer: string;
    /** Issuer of Cross-Account Protection's security event tokens, without trailing slash. */
    readonly riscIssuer: string;
    /**
     * A service account's JSON key (role RISC Configuration Admin), absolute; only
     * `tidings doctor` reads it, to check the Cross-Account Protection registration.
     */
    readonly riscServiceAccountFile: string | null;
    /** Root of Google's RISC configuration API, without trailing slash. */
    readonly riscApiRoot: string;
    readonly apiRoot: string;
    readonly scopes: readonly string[];
  };
  readonly telegram: {
    readonly botToken: string | null;
    readonly apiRoot: string;
    readonly mode: 'polling' | 'webhook';
    readonly webhookSecret: string | null;
    readonly allowedUsers: readonly string[] | null;
  };
  /** Null when LLM_BASE_URL and LLM_MODEL are unset: free text goes to the intent router only. */
  readonly llm: LlmSettings | null;
  /** New-mail alerts: how often a connection with rules is polled, and rules per user. */
  readonly watch: { readonly intervalMs: number; readonly rulesPerUser: number };
  readonly metricsToken: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Thrown when the environment is invalid; `problems` lists every one. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `Tidings cannot start: ${problems.length} setting${problems.length === 1 ? ' is' : 's are'} wrong.\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        '\nSet them in the environment (or a .env file loaded by your process manager) and start again.',
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parses an environment (normally `process.env`) into a frozen `Config`, or throws `ConfigError`. */
/**
 * What `tidings mcp` (stdio) needs, and nothing else: it runs beside a server, not as one,
 * so it reads only where that server answers and the API key to call it with.
 */
export function mcpClientSettings(env: Record<string, string | undefined>): {
  url: string | undefined;
  apiKey: string | undefined;
} {
  return {
    url: env.TIDINGS_URL?.trim() || undefined,
    apiKey: env.TIDINGS_API_KEY?.trim() || undefined,
  };
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const message = issue.code === 'invalid_value' ? `${issue.message}` : issue.message;
      return `${name} ${message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return deepFreeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? null,
    dataDir: path.resolve(e.DATA_DIR),
    cacheDir: e.CACHE_DIR ? path.resolve(e.CACHE_DIR) : null,
    databaseUrl: e.DATABASE_URL ?? null,
    masterKey: e.TIDINGS_MASTER_KEY ?? null,
    google: {
      clientId: e.GOOGLE_CLIENT_ID ?? null,
      clientSecret: e.GOOGLE_CLIENT_SECRET ?? null,
      issuer: e.GOOGLE_ISSUER,
      // Google's RISC issuer ends in a slash; its discovery document is under the bare URL.
      riscIssuer: e.GOOGLE_RISC_ISSUER.replace(/\/+$/, ''),
      riscServiceAccountFile: e.GOOGLE_RISC_SERVICE_ACCOUNT_FILE
        ? path.resolve(e.GOOGLE_RISC_SERVICE_ACCOUNT_FILE)
        : null,
      riscApiRoot: e.GOOGLE_RISC_API_ROOT,
      apiRoot: e.GOOGLE_API_ROOT,
      scopes: e.GOOGLE_SCOPES,
    },
    telegram: {
      botToken: e.TELEGRAM_BOT_TOKEN ?? null,
      apiRoot: e.TELEGRAM_API_ROOT,
      mode: e.TELEGRAM_MODE,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET ?? null,
      allowedUsers: e.TELEGRAM_ALLOWED_USERS ?? null,
    },
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? {
            baseUrl: e.LLM_BASE_URL,
            model: e.LLM_MODEL,
            apiKey: e.LLM_API_KEY ?? null,
            maxSteps: e.LLM_MAX_STEPS,
            timeoutMs: e.LLM_TIMEOUT_SECONDS * 1000,
            maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS,
          }
        : null,
    watch: {
      intervalMs: e.WATCH_INTERVAL_SECONDS * 1000,
      rulesPerUser: e.WATCH_RULES_PER_USER,
    },
    metricsToken: e.METRICS_TOKEN ?? null,
    logLevel: e.LOG_LEVEL,
  });
}

/** The public base URL: the configured one, else derived from host and the bound port. */
export function publicUrlOf(config: Config, boundPort: number): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
}

/** Which features stay off, and which settings turn them on. */
export function disabledFeatures(config: Config): string[] {
  const off: string[] = [];
  if (!config.google.clientId) {
    off.push('Google connect is off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET');
  }
  if (!config.telegram.botToken) off.push('Telegram bot is off: set TELEGRAM_BOT_TOKEN');
  if (!config.metricsToken) off.push('/metrics is off: set METRICS_TOKEN');
  if (config.telegram.botToken && !config.llm) {
    off.push(
      'Model answers are off (the intent router answers alone): set LLM_BASE_URL and LLM_MODEL',
    );
  }
  return off;
}
