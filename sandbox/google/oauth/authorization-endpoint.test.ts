import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGoogleSandbox } from '../start.ts';
import {
  authorizeUrl,
  CALENDAR_READONLY,
  consent,
  control,
  exchangeCode,
  GMAIL_READONLY,
  parseForm,
  REDIRECT_URI,
  signIn,
  startTestSandbox,
  USERINFO_EMAIL,
} from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

async function open(
  url: string,
): Promise<{ status: number; location: string | null; type: string | null; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return {
    status: response.status,
    location: response.headers.get('location'),
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
}

describe('authorization endpoint', () => {
  it('shows redirect_uri_mismatch on its own page instead of redirecting', async () => {
    const page = await open(authorizeUrl(sandbox.url, { redirect_uri: 'http://127.0.0.1:9/evil' }));
    expect({
      ...page,
      text: page.text.includes('Error 400: <span class="code">redirect_uri_mismatch</span>'),
    }).toStrictEqual({
      status: 400,
      location: null,
      type: 'text/html; charset=utf-8',
      text: true,
    });
  });

  it('shows invalid_client on its own page for an unknown client', async () => {
    const page = await open(authorizeUrl(sandbox.url, { client_id: 'nobody' }));
    expect([page.status, page.location, page.text.includes('invalid_client')]).toStrictEqual([
      401,
      null,
      true,
    ]);
  });

  it('accepts any loopback callback for a client that allows it, and nothing else', async () => {
    await control(sandbox.url, 'POST', '/__sandbox/clients', {
      client_id: 'loopback',
      client_secret: 's',
      allow_loopback_callback: true,
    });
    const statuses = [];
    for (const redirect of [
      'http://127.0.0.1:3000/oauth/google/callback',
      'http://localhost:41234/oauth/google/callback',
      'http://example.com:3000/oauth/google/callback',
      'https://127.0.0.1:3000/oauth/google/callback',
      'http://127.0.0.1:3000/other',
    ]) {
      statuses.push(
        (await open(authorizeUrl(sandbox.url, { client_id: 'loopback', redirect_uri: redirect })))
          .status,
      );
    }
    expect(statuses).toStrictEqual([200, 200, 400, 400, 400]);
  });

  it('redirects with access_denied and the state when the user cancels', async () => {
    const back = await consent(sandbox.url, authorizeUrl(sandbox.url, { state: 'abc' }), {
      action: 'cancel',
    });
    expect(back.toString()).toBe(`${REDIRECT_URI}?error=access_denied&state=abc`);
  });

  it('redirects with invalid_scope for an unknown scope', async () => {
    const page = await open(
      authorizeUrl(sandbox.url, { scope: 'openid https://example.com/auth/everything' }),
    );
    const location = new URL(page.location ?? '');
    expect([page.status, Object.fromEntries(location.searchParams)]).toStrictEqual([
      302,
      {
        error: 'invalid_scope',
        error_description:
          'Some requested scopes were invalid. {invalid=[https://example.com/auth/everything]}',
        state: 'state-1',
      },
    ]);
  });

  it('redirects with unsupported_response_type for response_type=token', async () => {
    const page = await open(authorizeUrl(sandbox.url, { response_type: 'token' }));
    expect(new URL(page.location ?? '').searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
  });

  it('renders an account chooser with the hinted account and one checkbox per non-sign-in scope', async () => {
    const page = await open(authorizeUrl(sandbox.url, { login_hint: 'sam@example.com' }));
    const form = parseForm(page.text);
    expect({ ...form, fields: form.fields.map(([name]) => name) }).toStrictEqual({
      action: '/o/oauth2/v2/auth',
      fields: ['request_id', 'account', 'scope', 'scope'],
      radios: [
        { name: 'account', value: 'alex@example.com', checked: false },
        { name: 'account', value: 'sam@example.com', checked: true },
      ],
      checkboxes: [
        { name: 'scope', value: GMAIL_READONLY, checked: true },
        { name: 'scope', value: CALENDAR_READONLY, checked: true },
      ],
      buttons: [
        { name: 'action', value: 'cancel', label: 'Cancel' },
        { name: 'action', value: 'allow', label: 'Allow' },
      ],
    });
  });

  it('warns that the app is unverified when it asks for sensitive or restricted scopes, and only then', async () => {
    const warning = /<p class="warning">([^<]*)<\/p>/;
    const sensitive = await open(authorizeUrl(sandbox.url, {}));
    const signInOnly = await open(authorizeUrl(sandbox.url, { scope: 'openid email profile' }));
    expect([warning.exec(sensitive.text)?.[1], warning.test(signInOnly.text)]).toStrictEqual([
      "Google hasn't verified this app. It asks for access to sensitive or restricted data in your Google Account; continue only if you trust test-app.",
      false,
    ]);
  });

  it('signs in the account picked on the page', async () => {
    const body = await signIn(
      sandbox.url,
      { login_hint: 'sam@example.com' },
      { account: 'alex@example.com' },
    );
    const info = await fetch(`${sandbox.url}/v1/userinfo`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(await info.json()).toStrictEqual({
      sub: sandbox.subs.alex,
      name: 'Alex Rivera',
      picture: `${sandbox.url}/__sandbox/avatars/${sandbox.subs.alex}.svg`,
      given_name: 'Alex',
      family_name: 'Rivera',
      email: 'alex@example.com',
      email_verified: true,
    });
  });

  it('does not accept the same consent form twice', async () => {
    const page = await open(authorizeUrl(sandbox.url, {}));
    const form = parseForm(page.text);
    const post = () =>
      fetch(`${sandbox.url}/o/oauth2/v2/auth`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([...form.fields, ['action', 'allow']]).toString(),
      });
    expect([(await post()).status, (await post()).status]).toStrictEqual([302, 400]);
  });

  it('skips the page in auto-approve mode and grants only the allowed scopes', async () => {
    await control(sandbox.url, 'POST', '/__sandbox/auto-approve', {
      email: 'sam@example.com',
      scopes: [GMAIL_READONLY],
    });
    const page = await open(
      authorizeUrl(sandbox.url, { scope: `openid email ${GMAIL_READONLY} ${CALENDAR_READONLY}` }),
    );
    const location = new URL(page.location ?? '');
    const answer = await exchangeCode(sandbox.url, location.searchParams.get('code') ?? '');
    expect([page.status, location.searchParams.get('scope'), answer.body.scope]).toStrictEqual([
      302,
      `${GMAIL_READONLY} ${USERINFO_EMAIL} openid`,
      `${GMAIL_READONLY} ${USERINFO_EMAIL} openid`,
    ]);
    await control(sandbox.url, 'DELETE', '/__sandbox/auto-approve');
    expect((await open(authorizeUrl(sandbox.url, {}))).status).toBe(200);
  });

  it('sends every authorization back with the configured error in auto-deny mode', async () => {
    await control(sandbox.url, 'POST', '/__sandbox/auto-deny', { error: 'admin_policy_enforced' });
    const denied = await open(authorizeUrl(sandbox.url, { state: 'st' }));
    await control(sandbox.url, 'DELETE', '/__sandbox/auto-deny');
    const page = await open(authorizeUrl(sandbox.url, {}));
    expect([denied.location, page.status]).toStrictEqual([
      `${REDIRECT_URI}?error=admin_policy_enforced&state=st`,
      200,
    ]);
  });

  it('answers prompt=none with consent_required until the user has granted the scopes', async () => {
    const silent = () =>
      open(authorizeUrl(sandbox.url, { prompt: 'none', login_hint: 'alex@example.com' }));
    const before = new URL((await silent()).location ?? '');
    await signIn(sandbox.url, {}, { account: 'alex@example.com' });
    const after = new URL((await silent()).location ?? '');
    expect([before.searchParams.get('error'), after.searchParams.has('code')]).toStrictEqual([
      'consent_required',
      true,
    ]);
  });
});

describe('seeded client', () => {
  it('accepts the demo client with a loopback callback and lists the seeded accounts', async () => {
    const seeded = await startGoogleSandbox({ port: 0 });
    try {
      const url = authorizeUrl(seeded.url, {
        client_id: 'tidings-demo',
        redirect_uri: 'http://localhost:3000/oauth/google/callback',
      });
      const form = parseForm((await open(url)).text);
      expect(form.radios).toStrictEqual([
        { name: 'account', value: 'alex@example.com', checked: true },
        { name: 'account', value: 'sam@example.com', checked: false },
      ]);
    } finally {
      await seeded.close();
    }
  });
});
