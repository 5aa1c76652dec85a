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

  it('says which features stay off and which settings turn them on', () => {
    expect(disabledFeatures(loadConfig({}))).toStrictEqual([
      'Google connect is off: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET',
      'Telegram bot is off: set TELEGRAM_BOT_TOKEN',
      '/metrics is off: set METRICS_TOKEN',
    ]);
  });
});
