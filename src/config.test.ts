import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, disabledFeatures, loadConfig } from './config.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives sensible defaults for a local run with no settings', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeNull();
    expect(config.google.issuer).toBe('https://accounts.google.com');
    expect(config.google.riscIssuer).toBe('https://accounts.google.com');
    expect(config.google.apiRoot).toBe('https://www.googleapis.com');
    expect(config.google.scopes).toStrictEqual([
      'openid',
      'email',
      'profile',
      'https://www.googleapis.com/auth/gmail.readonly',
      'https://www.googleapis.com/auth/calendar.readonly',
    ]);
    expect(config.telegram.mode).toBe('polling');
    expect(Object.isFrozen(config.google)).toBe(true);
  });

  it('caches the embedded database template in CACHE_DIR, made absolute; the default place otherwise', () => {
    expect(loadConfig({}).cacheDir).toBeNull();
    expect(loadConfig({ CACHE_DIR: '' }).cacheDir).toBeNull();
    expect(loadConfig({ CACHE_DIR: 'cache' }).cacheDir).toBe(path.resolve('cache'));
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number, e.g. 8080'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [
      { PUBLIC_URL: 'ftp://x' },
      'PUBLIC_URL must be an http(s) URL, e.g. https://tidings.example.com',
    ],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL must be a PostgreSQL URL, e.g. postgres://user:pass@host:5432/tidings',
    ],
    [
      { GOOGLE_ISSUER: 'nope' },
      'GOOGLE_ISSUER must be an http(s) URL, e.g. https://accounts.google.com',
    ],
    [
      { GOOGLE_RISC_ISSUER: 'accounts.google.com' },
      'GOOGLE_RISC_ISSUER must be an http(s) URL, e.g. https://accounts.google.com/',
    ],
    [
      { GOOGLE_RISC_API_ROOT: 'risc.googleapis.com' },
      'GOOGLE_RISC_API_ROOT must be an http(s) URL, e.g. https://risc.googleapis.com',
    ],
    [
      { GOOGLE_API_ROOT: 'nope' },
      'GOOGLE_API_ROOT must be an http(s) URL, e.g. https://www.googleapis.com',
    ],
    [
      { TELEGRAM_BOT_TOKEN: 'abc' },
      'TELEGRAM_BOT_TOKEN must look like 123456789:AA… (from @BotFather)',
    ],
    [
      { TELEGRAM_API_ROOT: 'x' },
      'TELEGRAM_API_ROOT must be an http(s) URL, e.g. https://api.telegram.org',
    ],
    [
      { TELEGRAM_WEBHOOK_SECRET: 'short' },
      'TELEGRAM_WEBHOOK_SECRET must be 16–256 characters of A-Z a-z 0-9 _ -',
    ],
    [
      { TELEGRAM_ALLOWED_USERS: 'alice' },
      'TELEGRAM_ALLOWED_USERS must be a comma-separated list of Telegram user ids',
    ],
    [
      { METRICS_TOKEN: 'short' },
      'METRICS_TOKEN must be at least 16 characters (use: openssl rand -hex 24)',
    ],
    [
      { GOOGLE_CLIENT_ID: 'id.apps.googleusercontent.com' },
      'GOOGLE_CLIENT_SECRET must be set together with its pair (both come from the same Google OAuth client)',
    ],
    [
      { LLM_BASE_URL: 'localhost:11434', LLM_MODEL: 'qwen2.5:7b-instruct' },
      'LLM_BASE_URL must be an http(s) URL, e.g. http://127.0.0.1:11434/v1 (Ollama)',
    ],
    [
      { LLM_BASE_URL: 'http://127.0.0.1:11434/v1' },
      'LLM_MODEL must be set together with LLM_BASE_URL: the name of a model that server serves, e.g. qwen2.5:7b-instruct',
    ],
    [
      { LLM_MODEL: 'qwen2.5:7b-instruct' },
      "LLM_BASE_URL must be set together with LLM_MODEL: the model server's OpenAI-compatible address, e.g. http://127.0.0.1:11434/v1",
    ],
    [{ LLM_MAX_STEPS: '0' }, 'LLM_MAX_STEPS must be a whole number from 1 to 8, e.g. 4'],
    [{ LLM_MAX_STEPS: '9' }, 'LLM_MAX_STEPS must be a whole number from 1 to 8, e.g. 4'],
    [{ LLM_MAX_STEPS: 'four' }, 'LLM_MAX_STEPS must be a whole number from 1 to 8, e.g. 4'],
    [
      { LLM_TIMEOUT_SECONDS: '2.5' },
      'LLM_TIMEOUT_SECONDS must be a whole number from 1 to 600, e.g. 30',
    ],
    [
      { LLM_MAX_OUTPUT_TOKENS: '10' },
      'LLM_MAX_OUTPUT_TOKENS must be a whole number from 64 to 16384, e.g. 800',
    ],
    [
      { TELEGRAM_MODE: 'webhook' },
      'TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_MODE=webhook (use: openssl rand -hex 32)',
    ],
  ])('reports %j', (env, message) => {
    expect(problemsOf(env)).toStrictEqual([message]);
  });

  it('reports an unknown TELEGRAM_MODE and LOG_LEVEL by name', () => {
    const problems = problemsOf({ TELEGRAM_MODE: 'push', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^TELEGRAM_MODE /);
    expect(problems[1]).toMatch(/^LOG_LEVEL /);
  });

  it('requires a master key and a public URL in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^TIDINGS_MASTER_KEY is required in production/);
    expect(problems[1]).toBe(
      'PUBLIC_URL is required in production: the https URL users reach Tidings at',
    );
  });

  it('reports several problems at once in one message', () => {
    const env = { PORT: 'x', DATABASE_URL: 'mysql://x', METRICS_TOKEN: 'short' };
    expect(problemsOf(env)).toHaveLength(3);
    expect(() => loadConfig(env)).toThrowError(
      /3 settings are wrong[\s\S]*PORT[\s\S]*DATABASE_URL[\s\S]*METRICS_TOKEN/,
    );
  });

  it('leaves the Cross-Account Protection check off without a service account file', () => {
    const config = loadConfig({});
    expect([config.google.riscServiceAccountFile, config.google.riscApiRoot]).toStrictEqual([
      null,
      'https://risc.googleapis.com',
    ]);
  });

  it('reads the service account file as an absolute path and the RISC API root without slash', () => {
    const config = loadConfig({
      GOOGLE_RISC_SERVICE_ACCOUNT_FILE: 'keys/risc-admin.json',
      GOOGLE_RISC_API_ROOT: 'http://127.0.0.1:4010/',
    });
    expect([config.google.riscServiceAccountFile, config.google.riscApiRoot]).toStrictEqual([
      path.resolve('keys/risc-admin.json'),
      'http://127.0.0.1:4010',
    ]);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', GOOGLE_CLIENT_ID: '' }).port).toBe(8080);
  });

  it('parses lists and strips trailing slashes', () => {
    const config = loadConfig({
      TELEGRAM_ALLOWED_USERS: ' 1, 22 ,333',
      GOOGLE_SCOPES: 'openid email',
      GOOGLE_ISSUER: 'http://127.0.0.1:4010/',
    });
    expect(config.telegram.allowedUsers).toStrictEqual(['1', '22', '333']);
    expect(config.google.scopes).toStrictEqual(['openid', 'email']);
    expect(config.google.issuer).toBe('http://127.0.0.1:4010');
  });

  it('leaves the model path off without LLM settings', () => {
    expect(loadConfig({}).llm).toBeNull();
  });

  it('reads the model settings with their defaults', () => {
    const config = loadConfig({
      LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
      LLM_MODEL: ' qwen2.5:7b-instruct ',
    });
    expect(config.llm).toStrictEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'qwen2.5:7b-instruct',
      apiKey: null,
      maxSteps: 4,
      timeoutMs: 30_000,
      maxOutputTokens: 800,
    });
    expect(Object.isFrozen(config.llm)).toBe(true);
  });

  it('reads every model setting when given', () => {
    const config = loadConfig({
      LLM_BASE_URL: 'https://llm.example.com/v1',
      LLM_MODEL: 'mistral-small',
      LLM_API_KEY: 'sk-test-not-a-real-key',
      LLM_MAX_STEPS: '8',
      LLM_TIMEOUT_SECONDS: '45',
      LLM_MAX_OUTPUT_TOKENS: '1200',
    });
    expect(config.llm).toStrictEqual({
      baseUrl: 'https://llm.example.com/v1',
      model: 'mistral-small',
      apiKey: 'sk-test-not-a-real-key',
      maxSteps: 8,
      timeoutMs: 45_000,
      maxOutputTokens: 1200,
    });
  });

  it('never puts the model API key in a problem message', () => {
    const key = 'sk-secret-value-1234567890';
    const problems = problemsOf({ LLM_API_KEY: key, LLM_MODEL: 'm', LLM_MAX_STEPS: '99' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain(key);
  });

  it('says which features stay off and which settings turn them on', () => {
    expect(disabledFeatures(loadConfig({}))).toStrictEqual([
      'Google connect is off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET',
      'Telegram bot is off: set TELEGRAM_BOT_TOKEN',
      '/metrics is off: set METRICS_TOKEN',
    ]);
  });

  it('says model answers are off only where a bot could give them', () => {
    const bot = { TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkllmm' };
    expect(disabledFeatures(loadConfig(bot))).toContain(
      'Model answers are off (the intent router answers alone): set LLM_BASE_URL and LLM_MODEL',
    );
    const withModel = loadConfig({
      ...bot,
      LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_MODEL: 'qwen3:8b',
    });
    expect(disabledFeatures(withModel).join('\n')).not.toContain('Model answers');
  });
});
