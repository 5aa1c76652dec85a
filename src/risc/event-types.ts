/**
 * The security events Google's Cross-Account Protection sends, and what each one's
 * payload must look like (RFC 8417 events, Google's subjects). An event of a known type
 * whose payload does not match is an invalid token (RFC 8935 `invalid_request`); an
 * event of a type not listed here is accepted and ignored, as RFC 8935 asks of a
 * receiver that does not act on a type.
 */
import { z } from 'zod';

const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const OAUTH = 'https://schemas.openid.net/secevent/oauth/event-type/';

export const EVENT_TYPES = {
  'tokens-revoked': `${OAUTH}tokens-revoked`,
  'token-revoked': `${OAUTH}token-revoked`,
  'sessions-revoked': `${RISC}sessions-revoked`,
  'account-disabled': `${RISC}account-disabled`,
  'account-enabled': `${RISC}account-enabled`,
  'account-credential-change-required': `${RISC}account-credential-change-required`,
  verification: `${RISC}verification`,
} as const;

export type EventName = keyof typeof EVENT_TYPES;

const NAMES = new Map<string, EventName>(
  Object.entries(EVENT_TYPES).map(([name, uri]) => [uri, name as EventName]),
);

/** Events about a Google account, named by `iss` and `sub`. */
export type AccountEventName = Exclude<EventName, 'verification' | 'token-revoked'>;

const text = z.string().min(1).max(512);

const issSub = z.object({ subject_type: z.literal('iss-sub'), iss: text, sub: text });

const accountPayload = z.object({ subject: issSub, reason: text.optional() });

const tokenPayload = z.object({
  subject: z.object({
    subject_type: z.literal('oauth_token'),
    token_type: text,
    token_identifier_alg: text,
    token: text,
  }),
});

const verificationPayload = z.object({ state: z.string().max(1024).optional() });

export type ParsedEvent =
  | {
      kind: 'account';
      name: AccountEventName;
      type: string;
      iss: string;
      sub: string;
      reason: string | null;
    }
  | {
      kind: 'token';
      name: 'token-revoked';
      type: string;
      tokenType: string;
      algorithm: string;
      identifier: string;
    }
  | { kind: 'verification'; name: 'verification'; type: string; state: string | null }
  | { kind: 'unknown'; type: string };

export type EventCheck = { ok: true; event: ParsedEvent } | { ok: false; description: string };

/** Checks one entry of a token's `events` claim. */
export function parseEvent(type: string, payload: unknown): EventCheck {
  const name = NAMES.get(type);
  if (name === undefined) return { ok: true, event: { kind: 'unknown', type } };
  const invalid = {
    ok: false,
    description: `The ${name} event does not carry what it must.`,
  } as const;
  if (name === 'verification') {
    const parsed = verificationPayload.safeParse(payload);
    if (!parsed.success) return invalid;
    return {
      ok: true,
      event: { kind: 'verification', name, type, state: parsed.data.state ?? null },
    };
  }
  if (name === 'token-revoked') {
    const parsed = tokenPayload.safeParse(payload);
    if (!parsed.success) return invalid;
    const { subject } = parsed.data;
    return {
      ok: true,
      event: {
        kind: 'token',
        name,
        type,
        tokenType: subject.token_type,
        algorithm: subject.token_identifier_alg,
        identifier: subject.token,
      },
    };
  }
  const parsed = accountPayload.safeParse(payload);
  if (!parsed.success) return invalid;
  const { subject, reason } = parsed.data;
  return {
    ok: true,
    event: {
      kind: 'account',
      name,
      type,
      iss: subject.iss,
      sub: subject.sub,
      reason: reason ?? null,
    },
  };
}
