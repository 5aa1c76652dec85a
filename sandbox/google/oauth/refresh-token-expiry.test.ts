import { afterEach, describe, expect, it } from 'vitest';
import { control, signIn, startTestSandbox, tokenRequest } from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

const DAY = 24 * 60 * 60_000;
const EXPIRED = {
  status: 400,
  body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
};

let sandbox: TestSandbox;
let clock = Date.parse('2026-03-04T10:00:00Z');
afterEach(async () => {
  await sandbox.close();
  clock = Date.parse('2026-03-04T10:00:00Z');
});

async function start(settings: Record<string, unknown> = {}) {
  sandbox = await startTestSandbox(() => new Date(clock));
  return control(sandbox.url, 'PUT', '/__sandbox/settings', settings);
}

/** A new refresh token for alex (offline access, consent forced). */
async function issue(): Promise<string> {
  const tokens = await signIn(sandbox.url, { access_type: 'offline', prompt: 'consent' });
  return String(tokens.refresh_token);
}

/** The refresh grant's status, or the whole answer when it failed. */
async function refresh(token: string) {
  const answer = await tokenRequest(sandbox.url, {
    grant_type: 'refresh_token',
    refresh_token: token,
  });
  return answer.status === 200 ? 200 : answer;
}

function at(iso: string): number {
  return Date.parse(iso);
}

describe('refresh tokens of an app in Testing', () => {
  it('stop working seven days after they were issued', async () => {
    await start({ publishingStatus: 'testing' });
    const token = await issue();
    clock += 7 * DAY - 1000;
    const lastSecond = await refresh(token);
    clock += 1000;
    expect([lastSecond, await refresh(token)]).toStrictEqual([200, EXPIRED]);
  });

  it('keep working when they were issued while the app was in production', async () => {
    await start();
    const before = await issue();
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { publishingStatus: 'testing' });
    const during = await issue();
    clock += 8 * DAY;
    expect([await refresh(before), await refresh(during)]).toStrictEqual([200, EXPIRED]);
  });
});

describe('refresh tokens unused for six months', () => {
  it('stop working, while one used meanwhile goes on', async () => {
    const settings = await start();
    const used = await issue();
    const lastSecond = await issue();
    const idle = await issue();
    clock = at('2026-08-04T10:00:00Z');
    const fiveMonthsOn = await refresh(used);
    clock = at('2026-09-04T09:59:59Z');
    const justInTime = await refresh(lastSecond);
    clock = at('2026-09-04T10:00:00Z');
    expect({
      on: (settings as Record<string, unknown>).expireUnusedRefreshTokens,
      fiveMonthsOn,
      justInTime,
      idle: await refresh(idle),
      used: await refresh(used),
      lastSecond: await refresh(lastSecond),
    }).toStrictEqual({
      on: true,
      fiveMonthsOn: 200,
      justInTime: 200,
      idle: EXPIRED,
      used: 200,
      lastSecond: 200,
    });
  });

  it('keep working with the rule switched off', async () => {
    await start({ expireUnusedRefreshTokens: false });
    const token = await issue();
    clock = at('2027-03-04T10:00:00Z');
    expect(await refresh(token)).toBe(200);
  });
});

describe('the limit of refresh tokens per account per client', () => {
  it('makes the oldest stop working when one more is issued', async () => {
    await start({ refreshTokensPerClient: 2 });
    const first = await issue();
    const second = await issue();
    const beforeThird = await refresh(first);
    const third = await issue();
    expect([
      beforeThird,
      await refresh(first),
      await refresh(second),
      await refresh(third),
    ]).toStrictEqual([200, EXPIRED, 200, 200]);
  });

  it('is 100 by default and counts each account on its own', async () => {
    const settings = await start();
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { refreshTokensPerClient: 1 });
    const sam = String(
      (
        await signIn(
          sandbox.url,
          { access_type: 'offline', prompt: 'consent' },
          { account: 'sam@example.com' },
        )
      ).refresh_token,
    );
    const alex = await issue();
    expect({
      limit: (settings as Record<string, unknown>).refreshTokensPerClient,
      sam: await refresh(sam),
      alex: await refresh(alex),
    }).toStrictEqual({ limit: 100, sam: 200, alex: 200 });
  });
});

describe('the expiry settings', () => {
  it('refuse values Google has no use for with a 400', async () => {
    await start();
    const put = (body: unknown) =>
      fetch(`${sandbox.url}/__sandbox/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => [
        response.status,
        ((await response.json()) as { error: string }).error,
      ]);
    expect([
      await put({ publishingStatus: 'draft' }),
      await put({ refreshTokensPerClient: 0 }),
      await put({ expireUnusedRefreshTokens: 'yes' }),
    ]).toStrictEqual([
      [400, 'invalid_request'],
      [400, 'invalid_request'],
      [400, 'invalid_request'],
    ]);
  });
});
