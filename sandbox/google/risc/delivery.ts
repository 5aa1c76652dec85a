/**
 * Pushes security events to the streams that should get them, over real HTTP:
 * `POST <url>` with `Content-Type: application/secevent+jwt` and the signed token as the
 * body, one token per event. A user's events go only to clients the user granted `email`
 * or `profile` to (as with Google), and only to enabled streams that asked for that event
 * type. Every push is recorded with the receiver's status; a recorded token can be pushed
 * again with the same `jti`, as Google's redeliveries are.
 */
import { USERINFO_EMAIL, USERINFO_PROFILE } from '../oauth/index.ts';
import type { GrantStore, SigningKey } from '../oauth/index.ts';
import type { SandboxState } from '../sandbox-state.ts';
import {
  refreshTokenIdentifier,
  RISC_EVENT_TYPES,
  riscIssuer,
  signSecurityEvent,
} from './security-events.ts';
import type { RiscEventName, SecurityEvent } from './security-events.ts';
import type { RiscDelivery, RiscStream } from './streams.ts';

/** How long a receiver may take to answer a push. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface RiscDeps {
  state: SandboxState;
  key: SigningKey;
  baseUrl(): string;
  now(): Date;
}

export interface PushInput {
  name: RiscEventName;
  /** The user the event is about; not used for `verification`. */
  email?: string;
  reason?: string;
  state?: string;
  /** Only these clients' streams (a user's events still need the user's grant). */
  clientIds?: readonly string[];
}

/** The clients this user has a live grant of `email` or `profile` with. */
export function riscAudience(grants: GrantStore, email: string): string[] {
  return [...grants.grants.values()]
    .filter(
      (grant) =>
        grant.email === email &&
        (grant.scopes.has(USERINFO_EMAIL) || grant.scopes.has(USERINFO_PROFILE)),
    )
    .map((grant) => grant.clientId);
}

function wants(stream: RiscStream | undefined, name: RiscEventName): stream is RiscStream {
  return (
    stream !== undefined &&
    stream.status === 'enabled' &&
    stream.eventsRequested.includes(RISC_EVENT_TYPES[name])
  );
}

/** Every (stream, event) pair the input asks for. */
function plan(deps: RiscDeps, input: PushInput): { stream: RiscStream; event: SecurityEvent }[] {
  const { streams } = deps.state.risc;
  if (input.name === 'verification') {
    const ids = input.clientIds ?? [...streams.keys()];
    return ids
      .map((id) => streams.get(id))
      .filter((stream) => wants(stream, 'verification'))
      .map((stream) => ({
        stream,
        event: {
          name: 'verification',
          ...(input.state === undefined ? {} : { state: input.state }),
        },
      }));
  }
  const user = input.email === undefined ? undefined : deps.state.users.get(input.email);
  if (!user) return [];
  const audience = input.clientIds ?? riscAudience(deps.state.grants, user.email);
  const planned: { stream: RiscStream; event: SecurityEvent }[] = [];
  for (const clientId of audience) {
    const stream = streams.get(clientId);
    if (!wants(stream, input.name)) continue;
    if (input.name === 'token-revoked') {
      for (const token of liveRefreshTokens(deps.state.grants, user.email, clientId)) {
        planned.push({
          stream,
          event: {
            name: 'token-revoked',
            subject: {
              subject_type: 'oauth_token',
              token_type: 'refresh_token',
              token_identifier_alg: 'hash_base64_sha512_sha512',
              token: refreshTokenIdentifier(token),
            },
          },
        });
      }
      continue;
    }
    const subject = {
      subject_type: 'iss-sub',
      iss: riscIssuer(deps.baseUrl()),
      sub: user.sub,
    } as const;
    const reason = input.name === 'account-disabled' ? input.reason : undefined;
    planned.push({
      stream,
      event: { name: input.name, subject, ...(reason === undefined ? {} : { reason }) },
    });
  }
  return planned;
}

function liveRefreshTokens(grants: GrantStore, email: string, clientId: string): string[] {
  const grant = [...grants.grants.values()].find(
    (candidate) => candidate.email === email && candidate.clientId === clientId,
  );
  return (grant?.refreshTokens ?? []).filter(
    (token) => grants.tokens.get(token)?.revoked === false,
  );
}

async function post(
  url: string,
  token: string,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
      body: token,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return { status: response.status, error: null };
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return { status: null, error: typeof cause === 'string' ? cause : (error as Error).name };
  }
}

async function send(
  deps: RiscDeps,
  target: { jti: string; token: string; clientId: string; url: string; event: string },
): Promise<RiscDelivery> {
  const at = deps.now().toISOString();
  const outcome = await post(target.url, target.token);
  const record: RiscDelivery = {
    jti: target.jti,
    client_id: target.clientId,
    url: target.url,
    event: target.event,
    ...outcome,
    at,
  };
  deps.state.risc.deliveries.push({ record, token: target.token });
  return record;
}

/** Signs and pushes the events the input asks for; answers what each receiver said. */
export async function pushSecurityEvent(deps: RiscDeps, input: PushInput): Promise<RiscDelivery[]> {
  const nowMs = deps.now().getTime();
  return Promise.all(
    plan(deps, input).map(({ stream, event }) => {
      const { jti, token } = signSecurityEvent(deps.key, {
        baseUrl: deps.baseUrl(),
        clientId: stream.clientId,
        nowMs,
        event,
      });
      return send(deps, {
        jti,
        token,
        clientId: stream.clientId,
        url: stream.url,
        event: RISC_EVENT_TYPES[event.name],
      });
    }),
  );
}

/** Pushes an earlier token again, same `jti`, to its stream's current URL; null if unknown. */
export async function redeliver(deps: RiscDeps, jti: string): Promise<RiscDelivery | null> {
  const earlier = deps.state.risc.deliveries.find((delivery) => delivery.record.jti === jti);
  if (!earlier) return null;
  const stream = deps.state.risc.streams.get(earlier.record.client_id);
  return send(deps, {
    jti,
    token: earlier.token,
    clientId: earlier.record.client_id,
    url: stream?.url ?? earlier.record.url,
    event: earlier.record.event,
  });
}
