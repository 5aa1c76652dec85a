/**
 * Test support for Cross-Account Protection: a receiver on a loopback port that records
 * every push and answers with a status the test chooses, and a JWT check against the
 * sandbox's published keys.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Push {
  method: string;
  contentType: string | undefined;
  body: string;
}

export interface Receiver {
  url: string;
  pushes: Push[];
  /** The status the next pushes are answered with (default 202). */
  answer: { status: number };
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const pushes: Push[] = [];
  const answer = { status: 202 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      pushes.push({
        method: request.method ?? '',
        contentType: request.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/risc`,
    pushes,
    answer,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function part(jwt: string, index: number): Record<string, unknown> {
  return JSON.parse(
    Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8'),
  ) as Record<string, unknown>;
}

/** The header and claims of a JWT whose RS256 signature one of `keys` verifies (else throws). */
export function verifiedJwt(
  jwt: string,
  keys: { keys: (JsonWebKey & { kid?: string })[] },
): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const header = part(jwt, 0);
  const jwk = keys.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`no key ${String(header.kid)}`);
  const [head, payload, signature] = jwt.split('.');
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(signature ?? '', 'base64url'),
  );
  if (!valid) throw new Error('bad signature');
  return { header, claims: part(jwt, 1) };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}
