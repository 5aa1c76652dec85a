/**
 * What the receiver checks in a security event token, driven by a transmitter whose keys
 * the test holds (its own RISC discovery document and key set on a loopback port, named
 * by GOOGLE_RISC_ISSUER): issuer, audience, `iat`, `typ`, the algorithm, `jti`, the shape
 * of each event, types it does not act on, subjects of another issuer, an event older than
 * the grant it names, keys out of reach, and the rate limit.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';
import {
  brokenNotices,
  connectedAccount,
  connectionRow,
  historyAfterConnect,
  OAUTH,
  post,
  RISC,
  receiverOf,
  seenToken,
  type TestKey,
  testKey,
  tokensRevoked,
} from './risc.harness.ts';

interface Transmitter {
  url: string;
  issuer: string;
  key: TestKey;
  /** What the discovery document answers: normally, with a 500, or naming another issuer. */
  mode: 'ok' | 'down' | 'other-issuer';
  close(): Promise<void>;
}

async function startTransmitter(): Promise<Transmitter> {
  const key = await testKey();
  const transmitter = { url: '', issuer: '', key, mode: 'ok' } as Transmitter;
  const server: Server = createServer((request, response) => {
    const json = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/.well-known/risc-configuration') {
      if (transmitter.mode === 'down') return json(500, {});
      const issuer =
        transmitter.mode === 'other-issuer' ? 'https://elsewhere.example/' : transmitter.issuer;
      return json(200, { issuer, jwks_uri: `${transmitter.url}/certs` });
    }
    if (request.url === '/certs') return json(200, { keys: [key.jwk] });
    return json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  transmitter.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transmitter.issuer = `${transmitter.url}/`;
  transmitter.close = () => new Promise((resolve) => server.close(() => resolve()));
  return transmitter;
}

const refused = (err: string, description: string) => ({
  status: 400,
  retryAfter: null,
  body: { err, description },
});
const ACCEPTED = { status: 202, retryAfter: null, body: null };

for (const database of DATABASES) {
  describe(`security event token checks on ${database.name}`, () => {
    let stack: Stack;
    let transmitter: Transmitter;
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    beforeAll(async () => {
      transmitter = await startTransmitter();
      stack = await startStack(database, {
        env: { GOOGLE_RISC_ISSUER: transmitter.url },
        start: { now },
      });
    });
    afterAll(async () => {
      await stack?.close();
      await transmitter?.close();
    });

    const send = async (claims: Record<string, unknown>, header?: Record<string, unknown>) =>
      post(receiverOf(stack), await transmitter.key.sign(claims, header));
    const seconds = (offset: number) => Math.floor((Date.now() + offset) / 1000);

    it('applies a token from the configured issuer', async () => {
      const { sub, connection } = await connectedAccount(stack, 'quinn');
      const claims = tokensRevoked(transmitter.issuer, sub);
      expect(await send(claims)).toStrictEqual(ACCEPTED);
      expect((await connectionRow(stack, connection.id)).status).toBe('needs_reauth');
    });

    it('refuses a token from another issuer, or for another client', async () => {
      const { sub, connection } = await connectedAccount(stack, 'reese');
      expect([
        await send(tokensRevoked('https://accounts.google.com/', sub)),
        await send(tokensRevoked(transmitter.issuer, sub, { aud: 'someone-else' })),
      ]).toStrictEqual([
        refused('invalid_issuer', 'The token is from another issuer.'),
        refused('invalid_audience', 'The token is meant for another client.'),
      ]);
      expect((await connectionRow(stack, connection.id)).status).toBe('active');
    });

    it('allows five minutes of clock skew on iat, refuses a token from further ahead or older than a month', async () => {
      const { sub } = await connectedAccount(stack, 'sage');
      const other = await connectedAccount(stack, 'sky');
      expect([
        await send(tokensRevoked(transmitter.issuer, sub, { iat: seconds(10 * 60_000) })),
        await send(tokensRevoked(transmitter.issuer, sub, { iat: seconds(-31 * 24 * 3_600_000) })),
        await send(tokensRevoked(transmitter.issuer, other.sub, { iat: seconds(2 * 60_000) })),
      ]).toStrictEqual([
        refused('invalid_request', 'The token is issued in the future.'),
        refused('invalid_request', 'The token is too old to be accepted.'),
        ACCEPTED,
      ]);
    });

    it('refuses a token without a jti, events, or a security event typ', async () => {
      const { sub, connection } = await connectedAccount(stack, 'tatum');
      const { jti: _jti, ...withoutJti } = tokensRevoked(transmitter.issuer, sub);
      expect([
        await send(withoutJti),
        await send(tokensRevoked(transmitter.issuer, sub, { events: {} })),
        await send(tokensRevoked(transmitter.issuer, sub), { typ: 'JWT' }),
      ]).toStrictEqual([
        refused('invalid_request', 'The token\'s "jti" claim is missing or not valid.'),
        refused('invalid_request', 'The token needs a jti, an iat and at least one event.'),
        refused('invalid_request', 'The token is not a security event token (typ).'),
      ]);
      expect((await connectionRow(stack, connection.id)).status).toBe('active');
    });

    it('accepts a token whose header has no typ', async () => {
      const { sub, connection } = await connectedAccount(stack, 'uma');
      expect(await send(tokensRevoked(transmitter.issuer, sub), { typ: undefined })).toStrictEqual(
        ACCEPTED,
      );
      expect((await connectionRow(stack, connection.id)).status).toBe('needs_reauth');
    });

    it('refuses a token signed with a shared secret (invalid_key)', async () => {
      const { sub } = await connectedAccount(stack, 'val');
      const token = await new SignJWT(tokensRevoked(transmitter.issuer, sub))
        .setProtectedHeader({ alg: 'HS256', typ: 'secevent+jwt' })
        .sign(randomBytes(32));
      expect(await post(receiverOf(stack), token)).toStrictEqual(
        refused('invalid_key', "The token is not signed with one of the issuer's keys."),
      );
    });

    it('refuses an event of a known type that does not carry its subject, storing nothing', async () => {
      const { sub, connection } = await connectedAccount(stack, 'wren');
      const claims = tokensRevoked(transmitter.issuer, sub, {
        events: {
          [`${OAUTH}tokens-revoked`]: { subject: { subject_type: 'email', email: 'x@y' } },
        },
      });
      expect(await send(claims)).toStrictEqual(
        refused('invalid_request', 'The tokens-revoked event does not carry what it must.'),
      );
      expect({
        seen: await seenToken(stack, claims.jti),
        row: (await connectionRow(stack, connection.id)).status,
      }).toStrictEqual({ seen: null, row: 'active' });
    });

    it('accepts and records as ignored what it does not act on: another type, an access token, a subject of another issuer', async () => {
      const { sub, connection } = await connectedAccount(stack, 'xan');
      const unknownType = tokensRevoked(transmitter.issuer, sub, {
        events: { 'https://schemas.example/event-type/new-thing': { anything: true } },
      });
      const accessToken = tokensRevoked(transmitter.issuer, sub, {
        events: {
          [`${OAUTH}token-revoked`]: {
            subject: {
              subject_type: 'oauth_token',
              token_type: 'access_token',
              token_identifier_alg: 'prefix',
              token: 'ya29.a0',
            },
          },
        },
      });
      const otherIssuer = tokensRevoked(transmitter.issuer, sub, {
        events: {
          [`${RISC}account-disabled`]: {
            subject: { subject_type: 'iss-sub', iss: 'https://elsewhere.example/', sub },
          },
        },
      });
      for (const claims of [unknownType, accessToken, otherIssuer]) {
        expect(await send(claims)).toStrictEqual(ACCEPTED);
      }
      expect({
        seen: await Promise.all(
          [unknownType, accessToken, otherIssuer].map((c) => seenToken(stack, c.jti)),
        ),
        row: (await connectionRow(stack, connection.id)).status,
        history: await historyAfterConnect(stack, connection.id),
      }).toStrictEqual({
        seen: [
          {
            jti: unknownType.jti,
            events: [{ type: 'https://schemas.example/event-type/new-thing', outcome: 'ignored' }],
          },
          { jti: accessToken.jti, events: [{ type: `${OAUTH}token-revoked`, outcome: 'ignored' }] },
          {
            jti: otherIssuer.jti,
            events: [{ type: `${RISC}account-disabled`, outcome: 'unknown_subject' }],
          },
        ],
        row: 'active',
        history: [],
      });
    });

    it('does not retire a grant stored after the event was issued (a reconnect since)', async () => {
      const { sub, user, connection } = await connectedAccount(stack, 'yael');
      const claims = tokensRevoked(transmitter.issuer, sub, { iat: seconds(-60_000) });
      expect(await send(claims)).toStrictEqual(ACCEPTED);
      expect({
        row: (await connectionRow(stack, connection.id)).status,
        history: await historyAfterConnect(stack, connection.id),
        notices: await brokenNotices(stack, user.id),
      }).toStrictEqual({
        row: 'active',
        history: [
          {
            type: 'security_event',
            from_status: null,
            to_status: null,
            reason: 'tokens-revoked',
            detail: { jti: claims.jti, outcome: 'superseded' },
          },
        ],
        notices: [],
      });
    });

    it('asks the sender to try again later while the issuer cannot be verified, then accepts', async () => {
      const { sub, connection } = await connectedAccount(stack, 'zion');
      const claims = tokensRevoked(transmitter.issuer, sub);
      const token = await transmitter.key.sign(claims);
      const later = {
        status: 503,
        retryAfter: '30',
        body: { description: 'The token cannot be verified right now; send it again later.' },
      };
      try {
        // The document is cached for an hour: move past it, with the issuer down.
        transmitter.mode = 'down';
        offsetMs = 2 * 3_600_000;
        expect(await post(receiverOf(stack), token)).toStrictEqual(ACCEPTED);
        expect((await connectionRow(stack, connection.id)).status).toBe('needs_reauth');
      } finally {
        transmitter.mode = 'ok';
      }
      // With nothing cached (a fresh receiver), an issuer that is down or names another
      // issuer is a 503, and its recovery is noticed after a short cool-down.
      const fresh = await startStack(database, {
        env: { GOOGLE_RISC_ISSUER: transmitter.url },
        start: { now },
      });
      try {
        const again = await connectedAccount(fresh, 'zion');
        const second = await transmitter.key.sign(tokensRevoked(transmitter.issuer, again.sub));
        transmitter.mode = 'other-issuer';
        const misnamed = await post(receiverOf(fresh), second);
        offsetMs += 11_000;
        transmitter.mode = 'down';
        const down = await post(receiverOf(fresh), second);
        const coolingDown = await post(receiverOf(fresh), second);
        transmitter.mode = 'ok';
        const stillCoolingDown = await post(receiverOf(fresh), second);
        offsetMs += 11_000;
        expect([
          misnamed,
          down,
          coolingDown,
          stillCoolingDown,
          await post(receiverOf(fresh), second),
        ]).toStrictEqual([later, later, later, later, ACCEPTED]);
      } finally {
        transmitter.mode = 'ok';
        offsetMs = 0;
        await fresh.close();
      }
    });

    it('limits pushes per address, with Retry-After', async () => {
      const answers: number[] = [];
      let limited: Awaited<ReturnType<typeof post>> | null = null;
      for (let i = 0; i < 400 && limited === null; i++) {
        const answer = await post(receiverOf(stack), 'x');
        if (answer.status === 429) limited = answer;
        else answers.push(answer.status);
      }
      expect({
        before: answers.every((status) => status === 400) && answers.length <= 300,
        limited: limited && { ...limited, retryAfter: Number(limited.retryAfter) > 0 },
      }).toStrictEqual({
        before: true,
        limited: {
          status: 429,
          retryAfter: true,
          body: { description: 'Too many security event tokens from this address.' },
        },
      });
    });
  });
}
