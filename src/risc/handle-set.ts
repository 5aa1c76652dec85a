/**
 * What a verified security event token does, by event type (Google's Cross-Account
 * Protection guidance, for an app that keeps OAuth tokens and has no sessions of its own):
 * - `tokens-revoked`, `token-revoked`: the grant is gone; the connection needs
 *   reauthorization, its tokens are deleted, the person is told once.
 * - `account-disabled`: the same — with reason `hijacking` the account is in someone
 *   else's hands, and with any other reason its tokens stop working; the notice says why.
 * - `sessions-revoked`, `account-enabled`, `account-credential-change-required`:
 *   recorded on each connection of the account, nothing changes. Tidings holds no Google
 *   session to end; an enabled account still has to be reconnected (its tokens were
 *   deleted); a required password change is Google's to ask for, and when it revokes the
 *   Gmail grant that arrives as its own event (or the daily check finds it).
 * - `verification`: logged with its `state`.
 * - any other type: accepted and ignored; a subject Tidings does not know: accepted, only
 *   the `jti` is kept.
 * The token is claimed by `jti` in the same transaction as its effects, so a redelivery
 * does nothing and a failure leaves nothing half-written (the sender tries again).
 */
import type { Kysely } from 'kysely';
import {
  applySecurityEvents,
  connectionsConcerned,
  type SecurityEvent,
  type SecurityEventDeps,
} from '../connections/index.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { type EventName, type ParsedEvent, parseEvent } from './event-types.ts';
import { claimToken, type EventRecord, recordOutcomes } from './seen-tokens.ts';
import type { SetClaims } from './verify-set.ts';

export interface HandleDeps extends SecurityEventDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** Called when notifications were queued (the outbox delivers them). */
  onNotify?: (() => void) | undefined;
}

export type Handled =
  | { kind: 'accepted'; duplicate: boolean }
  | { kind: 'rejected'; description: string };

const RETIRING: ReadonlySet<EventName> = new Set([
  'tokens-revoked',
  'token-revoked',
  'account-disabled',
]);
const REFRESH_TOKEN_ALGORITHM = 'hash_base64_sha512_sha512';

const withoutSlash = (value: string) => value.replace(/\/+$/, '');

interface Plan {
  record: EventRecord;
  /** The event as the connections core applies it, to these connections. */
  security?: { event: SecurityEvent; connectionIds: string[] };
  /** A verification's `state`. */
  state?: string | null;
}

async function plan(deps: HandleDeps, claims: SetClaims, parsed: ParsedEvent): Promise<Plan> {
  const { type } = parsed;
  if (parsed.kind === 'unknown') return { record: { type, outcome: 'ignored' } };
  if (parsed.kind === 'verification') {
    return { record: { type, outcome: 'verified' }, state: parsed.state };
  }
  let event: SecurityEvent;
  const base = {
    name: parsed.name,
    jti: claims.jti,
    issuedAt: claims.issuedAt,
    action: RETIRING.has(parsed.name) ? ('retire' as const) : ('record' as const),
  };
  if (parsed.kind === 'token') {
    // Tidings keeps refresh tokens only, named the one way Google names them.
    if (parsed.tokenType !== 'refresh_token' || parsed.algorithm !== REFRESH_TOKEN_ALGORITHM) {
      return { record: { type, outcome: 'ignored' } };
    }
    event = {
      ...base,
      reason: null,
      subject: { kind: 'refresh_token', digest: parsed.identifier },
    };
  } else {
    if (withoutSlash(parsed.iss) !== withoutSlash(claims.issuer)) {
      return { record: { type, outcome: 'unknown_subject' } };
    }
    event = {
      ...base,
      reason: parsed.name === 'account-disabled' ? parsed.reason : null,
      subject: { kind: 'account', subject: parsed.sub },
    };
  }
  const connectionIds = await connectionsConcerned(deps, event.subject);
  if (connectionIds.length === 0) return { record: { type, outcome: 'unknown_subject' } };
  return { record: { type, outcome: 'applied' }, security: { event, connectionIds } };
}

export async function handleSet(deps: HandleDeps, claims: SetClaims): Promise<Handled> {
  const parsed: ParsedEvent[] = [];
  for (const [type, payload] of Object.entries(claims.events)) {
    const check = parseEvent(type, payload);
    if (!check.ok) return { kind: 'rejected', description: check.description };
    parsed.push(check.event);
  }
  const earlier = await deps.db
    .selectFrom('risc_events')
    .select('jti')
    .where('jti', '=', claims.jti)
    .executeTakeFirst();
  if (earlier) return { kind: 'accepted', duplicate: true };

  // Whom each event is about, found before the transaction: it may open token bundles.
  const plans: Plan[] = [];
  for (const event of parsed) plans.push(await plan(deps, claims, event));
  const records = plans.map((p) => p.record);
  const security = plans.flatMap((p) => (p.security ? [p.security] : []));

  const applied = await deps.db.transaction().execute(async (trx) => {
    if (!(await claimToken(trx, claims.jti, deps.now()))) return null;
    const outcomes = await applySecurityEvents(trx, deps, security);
    await recordOutcomes(trx, claims.jti, records);
    return outcomes;
  });
  if (applied === null) return { kind: 'accepted', duplicate: true };

  for (const p of plans) {
    if (p.record.outcome === 'verified') {
      deps.logger.info(
        { jti: claims.jti, state: p.state?.slice(0, 200) ?? null },
        'RISC verification received',
      );
    }
  }
  let retired = 0;
  security.forEach((item, index) => {
    const outcomes = applied[index] ?? [];
    retired += outcomes.filter((o) => o.outcome === 'retired').length;
    deps.logger.info(
      { jti: claims.jti, event: item.event.name, reason: item.event.reason ?? undefined, outcomes },
      'security event applied',
    );
  });
  for (const record of records) {
    if (record.outcome === 'ignored' || record.outcome === 'unknown_subject') {
      deps.logger.info(
        { jti: claims.jti, type: record.type, outcome: record.outcome },
        'security event not acted on',
      );
    }
  }
  if (retired > 0) deps.onNotify?.();
  return { kind: 'accepted', duplicate: false };
}
