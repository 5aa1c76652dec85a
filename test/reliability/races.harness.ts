/**
 * A world for racing writes: the real connections core (broker, store, Cross-Account
 * Protection handler, vault) on a real database, with Google's token endpoint played by
 * a model whose answers a fast-check scheduler releases in any order. Every write to a
 * connection's tokens or status is captured by a trigger into an audit table, so a test
 * can replay exactly which grant each connection held, in order.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type fc from 'fast-check';
import { sql } from 'kysely';
import {
  type Broker,
  type ConnectionStore,
  createBroker,
  createConnectionStore,
  type RefreshResult,
  TokenFailure,
} from '../../src/connections/index.ts';
import { openTokenBundle } from '../../src/connections/token-bundle.ts';
import type { DatabaseHandle } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { handleSet } from '../../src/risc/handle-set.ts';
import { createUserStore } from '../../src/users/index.ts';
import { createVault, parseMasterKeys, type Vault } from '../../src/vault/index.ts';

export const ISSUER = 'https://accounts.google.test';
const TOKENS_REVOKED = 'https://schemas.openid.net/secevent/risc/event-type/tokens-revoked';
const GMAIL = 'https://www.googleapis.com/auth/gmail.readonly';

/** One consent at Google: a refresh token for one account, alive until revoked. */
interface Grant {
  id: string;
  account: string;
  refreshToken: string;
  revoked: boolean;
  accessTokens: number;
}

/** Google's side: accounts, their grants, and a token endpoint the scheduler paces. */
export class GoogleModel {
  readonly grants = new Map<string, Grant>();
  private scheduler: fc.Scheduler | null = null;
  private counter = 0;

  pace(scheduler: fc.Scheduler | null): void {
    this.scheduler = scheduler;
  }

  /** A new consent for `account`: what the OAuth callback would receive. */
  consent(account: string): Grant {
    const id = `g${++this.counter}${randomBytes(3).toString('hex')}`;
    const grant = { id, account, refreshToken: `rt.${id}`, revoked: false, accessTokens: 0 };
    this.grants.set(grant.refreshToken, grant);
    return grant;
  }

  accessTokenOf(grant: Grant): string {
    grant.accessTokens += 1;
    return `at.${grant.id}.${grant.accessTokens}`;
  }

  /** Revoking any token of an account's grant revokes the account's whole grant to us. */
  revokeAccount(account: string): void {
    for (const grant of this.grants.values()) if (grant.account === account) grant.revoked = true;
  }

  /** Which grant a stored token belongs to (`rt.<grant>` or `at.<grant>.<n>`). */
  grantOfToken(token: string): Grant | null {
    const id = token.split('.')[1];
    for (const grant of this.grants.values()) if (grant.id === id) return grant;
    return null;
  }

  private answer<T>(label: string, work: () => T): Promise<T> {
    // Google decides when the request arrives; the answer travels back in any order.
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: work() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const settle = () => {
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    };
    if (!this.scheduler) return Promise.resolve().then(settle);
    return this.scheduler.schedule(Promise.resolve(label), label).then(settle);
  }

  readonly endpoint = {
    refresh: (refreshToken: string): Promise<RefreshResult> =>
      this.answer('google: refresh', () => {
        const grant = this.grants.get(refreshToken);
        if (!grant || grant.revoked) {
          throw new TokenFailure('invalid_grant', 'Token has been expired or revoked.', {
            oauthError: 'invalid_grant',
          });
        }
        return {
          accessToken: this.accessTokenOf(grant),
          expiresIn: 3599,
          refreshToken: null,
          scopes: null,
        };
      }),
    revoke: (token: string): Promise<void> =>
      this.answer('google: revoke', () => {
        const grant = this.grantOfToken(token);
        if (grant) this.revokeAccount(grant.account);
      }),
  };
}

export interface RaceWorld {
  google: GoogleModel;
  broker: Broker;
  store: ConnectionStore;
  vault: Vault;
  handle: DatabaseHandle;
  users: ReturnType<typeof createUserStore>;
  /** Moves the clock on; every operation starts at a later second than the one before. */
  tick(ms?: number): Date;
  now(): Date;
  /** Google's Cross-Account Protection push: every grant of the account revoked, the event delivered. */
  securityEvent(account: string): Promise<void>;
  /** The grants a connection held, in the order it held them (null: no tokens). */
  history(connectionId: string): Promise<Array<{ grant: string | null; status: string }>>;
}

/** Records every change of a connection's tokens or status, in commit order. */
async function installAudit(handle: DatabaseHandle): Promise<void> {
  await sql`create table if not exists race_audit (
    seq bigserial primary key,
    connection_id text not null,
    status text not null,
    token_ciphertext text
  )`.execute(handle.db);
  await sql`create or replace function race_audit_append() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT'
         or new.token_ciphertext is distinct from old.token_ciphertext
         or new.status is distinct from old.status then
        insert into race_audit (connection_id, status, token_ciphertext)
          values (new.id, new.status, new.token_ciphertext);
      end if;
      return new;
    end $$`.execute(handle.db);
  await sql`drop trigger if exists race_audit_trigger on connections`.execute(handle.db);
  await sql`create trigger race_audit_trigger after insert or update on connections
    for each row execute function race_audit_append()`.execute(handle.db);
}

export async function createRaceWorld(handle: DatabaseHandle): Promise<RaceWorld> {
  await installAudit(handle);
  const google = new GoogleModel();
  const vault = await createVault(handle.db, parseMasterKeys(randomBytes(32).toString('base64')));
  const logger = createLogger(
    'warn',
    new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    }),
  );
  let clock = Date.parse('2026-12-01T09:00:00Z');
  const now = () => new Date(clock);
  const tick = (ms = 2000) => {
    clock += ms;
    return now();
  };
  const broker = createBroker({ db: handle.db, vault, endpoint: google.endpoint, now, logger });
  const store = createConnectionStore({
    db: handle.db,
    vault,
    endpoint: () => google.endpoint,
    now,
    logger,
  });
  let jti = 0;
  return {
    google,
    broker,
    store,
    vault,
    handle,
    users: createUserStore(handle.db),
    tick,
    now,
    async securityEvent(account) {
      google.revokeAccount(account);
      const handled = await handleSet(
        { db: handle.db, vault, now, logger },
        {
          jti: `race-${++jti}-${randomBytes(4).toString('hex')}`,
          issuedAt: now(),
          issuer: ISSUER,
          events: {
            [TOKENS_REVOKED]: { subject: { subject_type: 'iss-sub', iss: ISSUER, sub: account } },
          },
        },
      );
      if (handled.kind !== 'accepted') throw new Error(`event refused: ${handled.description}`);
    },
    async history(connectionId) {
      const rows = await handle.db
        .selectFrom('race_audit' as never)
        .select(['status', 'token_ciphertext'] as never[])
        .where('connection_id' as never, '=', connectionId as never)
        .orderBy('seq' as never)
        .execute();
      const out: Array<{ grant: string | null; status: string }> = [];
      for (const row of rows as Array<{ status: string; token_ciphertext: string | null }>) {
        if (row.token_ciphertext === null) {
          out.push({ grant: null, status: row.status });
          continue;
        }
        const bundle = await openTokenBundle(vault, connectionId, row.token_ciphertext);
        if (bundle === 'corrupt') throw new Error(`connection ${connectionId}: corrupt bundle`);
        const refresh = google.grantOfToken(bundle.refreshToken);
        const access = bundle.accessToken ? google.grantOfToken(bundle.accessToken) : null;
        if (!refresh)
          throw new Error(`connection ${connectionId}: a refresh token Google never issued`);
        if (bundle.accessToken && access?.id !== refresh.id) {
          out.push({ grant: `mixed:${access?.id}/${refresh.id}`, status: row.status });
          continue;
        }
        out.push({ grant: refresh.id, status: row.status });
      }
      return out;
    },
  };
}

/** What the OAuth callback hands the store after a consent for `account`. */
export function grantInput(google: GoogleModel, userId: string, account: string) {
  const grant = google.consent(account);
  return {
    grant,
    input: {
      userId,
      subject: account,
      email: `${account}@example.com`,
      displayName: null,
      hostedDomain: null,
      scopes: ['openid', 'email', GMAIL],
      accessToken: google.accessTokenOf(grant),
      refreshToken: grant.refreshToken,
      expiresIn: 3599,
    },
  };
}
