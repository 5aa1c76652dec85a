import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClock } from '../../src/doctor/clock-check.ts';
import {
  checkApiRoot,
  checkClientCredentials,
  checkDiscovery,
  checkRedirectUri,
} from '../../src/doctor/google-checks.ts';
import {
  CLIENT_ID,
  closedPortUrl,
  PUBLIC_URL,
  silentServer,
  startWorld,
} from './doctor.harness.ts';
import type { World } from './doctor.harness.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

describe('Google discovery', () => {
  it('passes and names the token endpoint when the issuer answers', async () => {
    const found = await checkDiscovery(world.config(), world.deps);
    expect(found.result).toStrictEqual({
      id: 'google-discovery',
      status: 'pass',
      summary: `discovery at ${new URL(world.google.url).host} answers; token endpoint ${world.google.url}/token`,
      details: { issuer: world.google.url, tokenEndpoint: `${world.google.url}/token` },
    });
    expect(found.tokenEndpoint).toBe(`${world.google.url}/token`);
  });

  it('fails naming the host and GOOGLE_ISSUER when nothing answers there', async () => {
    const gone = await closedPortUrl();
    const found = await checkDiscovery(world.config({ GOOGLE_ISSUER: gone }), world.deps);
    expect(found.result).toStrictEqual({
      id: 'google-discovery',
      status: 'fail',
      summary: `could not reach ${new URL(gone).host} (GOOGLE_ISSUER): the connection was refused (nothing listens there)`,
      fix: `Check GOOGLE_ISSUER and that this machine reaches ${new URL(gone).host} (DNS, firewall, proxy).`,
    });
  });

  it('gives up after the time limit when the issuer never answers', async () => {
    const silent = await silentServer();
    try {
      const found = await checkDiscovery(world.config({ GOOGLE_ISSUER: silent.url }), {
        ...world.deps,
        timeoutMs: 200,
      });
      expect([found.result.status, found.result.summary]).toStrictEqual([
        'fail',
        `could not reach ${new URL(silent.url).host} (GOOGLE_ISSUER): no answer within 0.2 s`,
      ]);
    } finally {
      await silent.close();
    }
  });

  it('fails when the document names another issuer than GOOGLE_ISSUER', async () => {
    const other = world.google.url.replace('127.0.0.1', 'localhost');
    const found = await checkDiscovery(world.config({ GOOGLE_ISSUER: other }), world.deps);
    expect([found.result.status, found.result.summary]).toStrictEqual([
      'fail',
      `the discovery document names the issuer "${world.google.url}", not GOOGLE_ISSUER (${other}): every sign-in would be refused`,
    ]);
  });

  it('fails when GOOGLE_ISSUER serves no discovery document', async () => {
    const found = await checkDiscovery(
      world.config({ GOOGLE_ISSUER: `${world.google.url}/nowhere` }),
      world.deps,
    );
    expect([found.result.status, found.result.summary]).toStrictEqual([
      'fail',
      `${new URL(world.google.url).host} (GOOGLE_ISSUER) answered HTTP 404 for /.well-known/openid-configuration`,
    ]);
  });
});

describe('the client id and secret', () => {
  const endpoint = () => `${world.google.url}/token`;

  it('passes when the token endpoint answers invalid_grant to the test code', async () => {
    expect(await checkClientCredentials(world.config(), endpoint(), world.deps)).toStrictEqual({
      id: 'google-client',
      status: 'pass',
      summary: `Google accepts the client id and secret of ${CLIENT_ID}`,
    });
  });

  it('fails on a wrong secret, naming GOOGLE_CLIENT_SECRET', async () => {
    const config = world.config({ GOOGLE_CLIENT_SECRET: 'GOCSPX-not-the-secret' });
    expect(await checkClientCredentials(config, endpoint(), world.deps)).toStrictEqual({
      id: 'google-client',
      status: 'fail',
      summary: `Google refused the client secret of ${CLIENT_ID} (GOOGLE_CLIENT_SECRET): Unauthorized`,
      fix: 'Copy the current secret of that OAuth client from the Google Cloud console into GOOGLE_CLIENT_SECRET (a reset secret replaces the old one).',
      details: { error: 'invalid_client' },
    });
  });

  it('fails on an unknown client, naming GOOGLE_CLIENT_ID', async () => {
    const config = world.config({ GOOGLE_CLIENT_ID: 'nobody.apps.googleusercontent.com' });
    expect(await checkClientCredentials(config, endpoint(), world.deps)).toStrictEqual({
      id: 'google-client',
      status: 'fail',
      summary:
        'Google does not know the OAuth client nobody.apps.googleusercontent.com (GOOGLE_CLIENT_ID)',
      fix: 'Copy the client id of a Web application OAuth client from the Google Cloud console (APIs & Services → Credentials) into GOOGLE_CLIENT_ID.',
      details: { error: 'invalid_client' },
    });
  });

  it('is skipped when discovery gave no token endpoint', async () => {
    expect((await checkClientCredentials(world.config(), null, world.deps)).status).toBe('skip');
  });
});

describe('the redirect URI', () => {
  it('passes for the loopback address outside production and says what to register', () => {
    expect(checkRedirectUri(world.config())).toStrictEqual({
      id: 'google-redirect-uri',
      status: 'pass',
      summary: `Tidings sends the redirect URI ${PUBLIC_URL}/oauth/google/callback: register exactly ${PUBLIC_URL}/oauth/google/callback under the OAuth client's Authorized redirect URIs`,
      details: { redirectUri: `${PUBLIC_URL}/oauth/google/callback` },
    });
  });

  it('fails for plain http in production', () => {
    const config = world.config({
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://tidings.example.com',
    });
    expect(checkRedirectUri(config)).toStrictEqual({
      id: 'google-redirect-uri',
      status: 'fail',
      summary:
        'the redirect URI http://tidings.example.com/oauth/google/callback is not https, and NODE_ENV=production',
      fix: 'Set PUBLIC_URL to the https address people reach Tidings at (behind a TLS-terminating proxy), then register that address followed by /oauth/google/callback with the OAuth client.',
      details: { redirectUri: 'http://tidings.example.com/oauth/google/callback' },
    });
  });

  it('fails for plain http to a host that is not loopback, and says when it was derived', () => {
    const config = world.config({ PUBLIC_URL: '', HOST: '192.168.1.20', PORT: '8080' });
    expect([checkRedirectUri(config).status, checkRedirectUri(config).summary]).toStrictEqual([
      'fail',
      'the redirect URI http://192.168.1.20:8080/oauth/google/callback is plain http to 192.168.1.20: Google takes http only for localhost addresses (PUBLIC_URL is unset: derived from HOST and PORT)',
    ]);
  });

  it('passes for https in production', () => {
    const config = world.config({ NODE_ENV: 'production', PUBLIC_URL: 'https://t.example.com' });
    expect(checkRedirectUri(config).status).toBe('pass');
  });
});

describe('the Google API root', () => {
  it('passes when Gmail asks for a token the way Google does', async () => {
    expect(await checkApiRoot(world.config(), world.deps)).toStrictEqual({
      id: 'google-api',
      status: 'pass',
      summary: `GOOGLE_API_ROOT (${new URL(world.google.url).host}) answers like Google's APIs`,
    });
  });

  it('fails when GOOGLE_API_ROOT is not an API root', async () => {
    const config = world.config({ GOOGLE_API_ROOT: `${world.google.url}/elsewhere` });
    const result = await checkApiRoot(config, world.deps);
    expect([result.status, result.summary]).toStrictEqual([
      'fail',
      `GOOGLE_API_ROOT (${new URL(world.google.url).host}) answered HTTP 404 without a Google error where Gmail's API asks for a token`,
    ]);
  });

  it('fails naming GOOGLE_API_ROOT when nothing answers', async () => {
    const gone = await closedPortUrl();
    const result = await checkApiRoot(world.config({ GOOGLE_API_ROOT: gone }), world.deps);
    expect(result.summary).toBe(
      `could not reach ${new URL(gone).host} (GOOGLE_API_ROOT): the connection was refused (nothing listens there)`,
    );
  });
});

describe('the clock', () => {
  it('passes when Google’s Date header agrees with the local clock', async () => {
    const found = await checkDiscovery(world.config(), world.deps);
    expect(checkClock(found.clocks).status).toBe('pass');
  });

  it('fails when Google’s clock is five minutes ahead, and says why it matters', async () => {
    const skewed = await startWorld({ googleNow: () => new Date(Date.now() + 300_000) });
    try {
      const found = await checkDiscovery(skewed.config(), skewed.deps);
      const result = checkClock(found.clocks);
      const skew = (result.details?.skewSeconds ?? 0) as number;
      expect({ ...result, details: undefined }).toStrictEqual({
        id: 'clock',
        status: 'fail',
        summary: `this machine's clock is ${-skew} s behind Google's (more than 60 s)`,
        fix: 'Synchronise the clock (NTP: timedatectl set-ntp true, or chrony). Tidings judges when Google tokens expire by it (a clock behind keeps using tokens Google has expired), and refuses Cross-Account Protection events whose iat is more than five minutes ahead of it (a clock behind drops Google’s revocation notices).',
        details: undefined,
      });
      expect(skew).toBeGreaterThanOrEqual(-301);
      expect(skew).toBeLessThanOrEqual(-298);
    } finally {
      await skewed.close();
    }
  });

  it('is skipped without a Date header', () => {
    expect(checkClock(null).status).toBe('skip');
  });
});
