/**
 * Many connected Google accounts at once, for tests and benchmarks of work over many
 * connections (the refresh sweep). The sandbox mints the grants in bulk (its control
 * route, in a few calls instead of one browser journey each); the users, connections and
 * their "connected" events are then written with multi-row inserts, a few thousand per
 * transaction. The token columns come from the product's own `freshTokenColumns` (the
 * vault seals each bundle exactly as a consent does), so every connection is one the
 * product could have stored: active, the user's default, its tokens live at the sandbox.
 *
 * Control calls go out on a connection of their own (no keep-alive reuse): between two of
 * them the process may be busy for seconds, and a pooled socket picked just as the sandbox
 * closed it for idleness fails the call with ECONNRESET.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { freshTokenColumns } from '../../src/connections/fresh-tokens.ts';
import type { Stack } from './stack.harness.ts';

const CLIENT_ID = 'tidings-demo';
const SCOPES = [
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];
/** Grants minted by one call to the sandbox. */
const MINT_AT_ONCE = 5_000;
/** Rows written by one transaction. */
const WRITE_AT_ONCE = 2_000;
/** Rows in one insert statement (the connections table has ~20 columns per row). */
const ROWS_PER_INSERT = 500;

interface MintedGrant {
  email: string;
  sub: string;
  name: string;
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
}

/**
 * A control call to the Google sandbox on a fresh connection, closed after the answer;
 * answers the status and the parsed JSON body.
 */
export function sandboxControl(
  stack: Stack,
  route: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  const url = new URL(`${stack.google.url}/__sandbox${route}`);
  const payload = init.body === undefined ? null : Buffer.from(JSON.stringify(init.body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? (payload ? 'POST' : 'GET'),
        agent: false,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': payload.length }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

async function mintGrants(stack: Stack, count: number, prefix: string): Promise<MintedGrant[]> {
  const minted: MintedGrant[] = [];
  for (let start = 0; start < count; start += MINT_AT_ONCE) {
    const emails = Array.from(
      { length: Math.min(MINT_AT_ONCE, count - start) },
      (_, i) => `${prefix}${start + i}@example.com`,
    );
    const answer = await sandboxControl(stack, '/grants/mint', {
      body: { clientId: CLIENT_ID, scopes: SCOPES, emails },
    });
    if (answer.status >= 300) throw new Error(`minting grants answered ${answer.status}`);
    minted.push(...(answer.body as { minted: MintedGrant[] }).minted);
  }
  return minted;
}

function inSlices<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    slices.push(items.slice(start, start + size));
  }
  return slices;
}

/**
 * `count` users, each with one active Google connection over a grant the sandbox minted
 * (emails `<prefix><n>@example.com`); answers the connection ids, in order.
 */
export async function seedConnections(
  stack: Stack,
  count: number,
  prefix: string,
): Promise<string[]> {
  const minted = await mintGrants(stack, count, prefix);
  const { db } = stack.handle;
  const { vault, now } = stack.app.services;
  const ids: string[] = [];
  for (const slice of inSlices(minted, WRITE_AT_ONCE)) {
    const at = now();
    const rows = await Promise.all(
      slice.map(async (grant) => {
        const userId = randomUUID();
        const id = randomUUID();
        const scopes = grant.scope.split(' ');
        const tokens = {
          accessToken: grant.access_token,
          refreshToken: grant.refresh_token,
          expiresIn: grant.expires_in,
        };
        return {
          user: { id: userId, display_name: grant.name, telegram_user_id: null, settings: '{}' },
          connection: {
            id,
            user_id: userId,
            provider: 'google',
            subject: grant.sub,
            status: 'active' as const,
            status_reason: null,
            is_default: true,
            email: grant.email,
            display_name: grant.name,
            hosted_domain: null,
            granted_scopes: JSON.stringify(scopes),
            granted_at: at,
            ...(await freshTokenColumns(vault, id, tokens, at)),
          },
          event: {
            connection_id: id,
            user_id: userId,
            type: 'connected',
            from_status: null,
            to_status: 'active',
            reason: null,
            detail: JSON.stringify({ scopes }),
            created_at: at,
          },
        };
      }),
    );
    await db.transaction().execute(async (trx) => {
      for (const part of inSlices(rows, ROWS_PER_INSERT)) {
        await trx
          .insertInto('users')
          .values(part.map((row) => row.user))
          .execute();
        await trx
          .insertInto('connections')
          .values(part.map((row) => row.connection))
          .execute();
        await trx
          .insertInto('connection_events')
          .values(part.map((row) => row.event))
          .execute();
      }
    });
    ids.push(...rows.map((row) => row.connection.id));
  }
  return ids;
}
