import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, startTestSandbox } from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';
import { basic } from './risc.harness.ts';

const PUSH = 'https://schemas.openid.net/secevent/risc/delivery-method/push';
const TOKENS_REVOKED = 'https://schemas.openid.net/secevent/oauth/event-type/tokens-revoked';
const AUDIENCE = 'https://risc.googleapis.com/google.identity.risc.v1beta.RiscManagementService';
const EMAIL = 'risc-admin@sandbox-test-app.iam.gserviceaccount.com';
const NOW = new Date('2026-03-04T10:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const UNAUTHENTICATED = {
  error: {
    code: 401,
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    status: 'UNAUTHENTICATED',
  },
};

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox(() => NOW);
});
afterEach(async () => {
  await sandbox.close();
});

function keyPair(): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

interface TokenShape {
  iss?: string;
  sub?: string;
  aud?: string;
  kid?: string;
  iat?: number;
  exp?: number;
}

function selfSigned(key: KeyObject | CryptoKey, shape: TokenShape = {}): Promise<string> {
  const iat = shape.iat ?? NOW_SECONDS;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: shape.kid ?? 'key-1' })
    .setIssuer(shape.iss ?? EMAIL)
    .setSubject(shape.sub ?? shape.iss ?? EMAIL)
    .setAudience(shape.aud ?? AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(shape.exp ?? iat + 3600)
    .sign(key);
}

async function call(method: string, path: string, authorization: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function register(body: Record<string, unknown>) {
  const response = await fetch(`${sandbox.url}/__sandbox/risc/service-accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const STREAM = {
  delivery: { delivery_method: PUSH, url: 'https://tidings.example.com/google/risc' },
  events_requested: [TOKENS_REVOKED],
};

describe('service accounts at the RISC configuration API', () => {
  it('accepts a registered service account’s self-signed token for its client’s stream', async () => {
    const { privateKey, publicPem } = keyPair();
    const registered = await register({
      client_id: CLIENT_ID,
      public_key: publicPem,
      key_id: 'key-1',
    });
    const bearer = `Bearer ${await selfSigned(privateKey)}`;
    const updated = await call('POST', '/v1beta/stream:update', bearer, STREAM);
    const seenByClient = await call('GET', '/v1beta/stream', basic(CLIENT_ID, CLIENT_SECRET));
    const config = { ...STREAM, events_delivered: [TOKENS_REVOKED] };
    expect({ registered, updated, seenByClient }).toStrictEqual({
      registered: {
        status: 201,
        body: {
          client_email: EMAIL,
          private_key_id: 'key-1',
          oauth_client_id: CLIENT_ID,
          roles: ['roles/riscconfigs.admin'],
        },
      },
      updated: { status: 200, body: config },
      seenByClient: { status: 200, body: config },
    });
  });

  it('makes a key when none is given and hands out a JSON key file that signs usable tokens', async () => {
    const made = await register({
      client_id: CLIENT_ID,
    });
    const file = made.body as Record<string, string>;
    const key = await importPKCS8(file.private_key ?? '', 'RS256');
    const token = await selfSigned(key, { kid: file.private_key_id ?? '' });
    const missing = await call('GET', '/v1beta/stream', `Bearer ${token}`);
    expect({
      status: made.status,
      fields: Object.keys(file).sort(),
      type: file.type,
      email: file.client_email,
      tokenUri: file.token_uri,
      missing,
    }).toStrictEqual({
      status: 201,
      fields: [
        'client_email',
        'client_id',
        'private_key',
        'private_key_id',
        'project_id',
        'token_uri',
        'type',
      ],
      type: 'service_account',
      email: EMAIL,
      tokenUri: `${sandbox.url}/token`,
      missing: {
        status: 404,
        body: {
          error: { code: 404, message: 'Project has no RISC configuration.', status: 'NOT_FOUND' },
        },
      },
    });
  });

  it.each([
    ['an unknown service account', { iss: 'someone@elsewhere.iam.gserviceaccount.com' }],
    ['another audience', { aud: 'https://www.googleapis.com/' }],
    ['another key id', { kid: 'key-2' }],
    ['a subject other than the issuer', { sub: 'other@example.com' }],
    ['an expired token', { iat: NOW_SECONDS - 7200, exp: NOW_SECONDS - 3600 }],
    ['a token longer than an hour', { exp: NOW_SECONDS + 7200 }],
  ])('answers 401 UNAUTHENTICATED for %s', async (_name, shape) => {
    const { privateKey, publicPem } = keyPair();
    await register({
      client_id: CLIENT_ID,
      public_key: publicPem,
      key_id: 'key-1',
    });
    const answer = await call(
      'GET',
      '/v1beta/stream',
      `Bearer ${await selfSigned(privateKey, shape)}`,
    );
    expect(answer).toStrictEqual({ status: 401, body: UNAUTHENTICATED });
  });

  it('answers 401 for a token signed with a key that is not the registered one', async () => {
    await register({
      client_id: CLIENT_ID,
      public_key: keyPair().publicPem,
      key_id: 'key-1',
    });
    const forged = await selfSigned(keyPair().privateKey);
    expect(await call('GET', '/v1beta/stream', `Bearer ${forged}`)).toStrictEqual({
      status: 401,
      body: UNAUTHENTICATED,
    });
  });

  it('answers 403 PERMISSION_DENIED to a service account without the RISC Configuration Admin role', async () => {
    const { privateKey, publicPem } = keyPair();
    await register({
      client_id: CLIENT_ID,
      public_key: publicPem,
      key_id: 'key-1',
      roles: ['roles/viewer'],
    });
    const answer = await call('GET', '/v1beta/stream', `Bearer ${await selfSigned(privateKey)}`);
    expect(answer).toStrictEqual({
      status: 403,
      body: {
        error: {
          code: 403,
          message: 'The caller does not have permission',
          status: 'PERMISSION_DENIED',
        },
      },
    });
  });

  it('refuses to register for an unknown client or with a key that is not RSA', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const unknown = await register({
      client_id: 'nobody',
    });
    const notRsa = await register({
      client_id: CLIENT_ID,
      public_key: ec,
    });
    expect({ unknown, notRsa }).toStrictEqual({
      unknown: { status: 404, body: { error: 'not_found', message: 'No such client: nobody' } },
      notRsa: {
        status: 400,
        body: {
          error: 'invalid_request',
          message: 'public_key must be an RSA public key in PEM (SPKI).',
        },
      },
    });
  });
});
