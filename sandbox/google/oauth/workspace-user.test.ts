import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { control, decodeJwtPayload, signIn, startTestSandbox } from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

describe('a Workspace user', () => {
  it('carries hd and an unverified email in the ID token, userinfo and tokeninfo', async () => {
    const { sub } = (await control(sandbox.url, 'POST', '/__sandbox/users', {
      email: 'lee@corp.example',
      name: 'Lee Park',
      hd: 'corp.example',
      email_verified: false,
    })) as { sub: string };
    const tokens = await signIn(sandbox.url, {}, { account: 'lee@corp.example' });
    const claims = decodeJwtPayload(String(tokens.id_token));
    const bearer = { authorization: `Bearer ${String(tokens.access_token)}` };
    const userinfo = await fetch(`${sandbox.url}/v1/userinfo`, { headers: bearer });
    const tokeninfo = await fetch(
      `${sandbox.url}/oauth2/v3/tokeninfo?access_token=${String(tokens.access_token)}`,
    );
    const info = (await tokeninfo.json()) as Record<string, unknown>;
    expect({
      claims: [claims.sub, claims.hd, claims.email, claims.email_verified],
      order: Object.keys(claims).slice(0, 7),
      userinfo: await userinfo.json(),
      tokeninfo: [info.email, info.email_verified],
    }).toStrictEqual({
      claims: [sub, 'corp.example', 'lee@corp.example', false],
      order: ['iss', 'azp', 'aud', 'sub', 'hd', 'email', 'email_verified'],
      userinfo: {
        sub,
        name: 'Lee Park',
        picture: `${sandbox.url}/__sandbox/avatars/${sub}.svg`,
        given_name: 'Lee',
        family_name: 'Park',
        email: 'lee@corp.example',
        email_verified: false,
        hd: 'corp.example',
      },
      tokeninfo: ['lee@corp.example', 'false'],
    });
  });

  it('keeps hd and email_verified when the user is posted again without them', async () => {
    await control(sandbox.url, 'POST', '/__sandbox/users', {
      email: 'lee@corp.example',
      hd: 'corp.example',
      email_verified: false,
    });
    await control(sandbox.url, 'POST', '/__sandbox/users', {
      email: 'lee@corp.example',
      name: 'Lee Park',
    });
    const users = (await control(sandbox.url, 'GET', '/__sandbox/users')) as Record<
      string,
      unknown
    >[];
    const lee = users.find((user) => user.email === 'lee@corp.example');
    expect([lee?.name, lee?.hd, lee?.emailVerified]).toStrictEqual([
      'Lee Park',
      'corp.example',
      false,
    ]);
  });

  it('rejects an hd that is not a domain name', async () => {
    const response = await fetch(`${sandbox.url}/__sandbox/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lee@corp.example', hd: 'not a domain' }),
    });
    expect([response.status, ((await response.json()) as { error: string }).error]).toStrictEqual([
      400,
      'invalid_request',
    ]);
  });
});
