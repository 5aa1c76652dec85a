/**
 * Everything the sandbox core keeps in memory, in one object built per server: OAuth
 * clients, users, grants and tokens, pending consent requests, auto-approve, settings,
 * faults, stats, the per-user usage of the last minute and the RISC streams. Its OAuth part
 * is the `OAuthState` of `oauth/`. `clearState` empties it in place (the user map is
 * shared with the Gmail and Calendar modules, so it is never replaced).
 */
import type { FaultReason } from './google-errors.ts';
import { clearGrantStore, createGrantStore } from './oauth/index.ts';
import type { OAuthSettings, OAuthState, OAuthStats } from './oauth/index.ts';
import {
  createUsageLog,
  DEFAULT_CALENDAR_REQUESTS_PER_MINUTE,
  DEFAULT_GMAIL_QUOTA_UNITS_PER_MINUTE,
} from './rate-limits.ts';
import type { UsageLog } from './rate-limits.ts';
import { clearRiscState, createRiscState } from './risc/streams.ts';
import type { RiscState } from './risc/streams.ts';

export interface Fault {
  path: string;
  method: string | null;
  status: number | null;
  rate: number;
  /** Requests still to hit; null = unlimited. */
  remaining: number | null;
  latencyMs: number;
  retryAfter: number | null;
  /** Google's `errors[].reason` to answer with (API paths); null = the status's usual one. */
  reason: FaultReason | null;
}

export interface Stats extends OAuthStats {
  requests: Record<string, number>;
  quotaUnits: Record<string, number>;
}

/** The OAuth wing's state (clients, users, grants, consent), with the core's own parts. */
export interface SandboxState extends OAuthState {
  settings: Settings;
  faults: Fault[];
  stats: Stats;
  /** What each user spent in the last minute, per API (the per-user limits). */
  usage: UsageLog;
  /** Cross-Account Protection streams and what was pushed to them. */
  risc: RiscState;
}

export interface Settings extends OAuthSettings {
  /** Gmail's per-user limit in quota units over a sliding minute. */
  gmailQuotaUnitsPerMinute: number;
  /** Calendar's per-user limit in requests over a sliding minute. */
  calendarRequestsPerMinute: number;
}

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3599;

export function defaultSettings(): Settings {
  return {
    accessTokenTtlSeconds: DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    rotateRefreshTokens: false,
    gmailQuotaUnitsPerMinute: DEFAULT_GMAIL_QUOTA_UNITS_PER_MINUTE,
    calendarRequestsPerMinute: DEFAULT_CALENDAR_REQUESTS_PER_MINUTE,
  };
}

function emptyStats(): Stats {
  return {
    grants: { authorization_code: 0, refresh_token: 0 },
    revocations: 0,
    requests: {},
    quotaUnits: {},
  };
}

export function createState(): SandboxState {
  return {
    clients: new Map(),
    users: new Map(),
    grants: createGrantStore(),
    pending: new Map(),
    autoApprove: null,
    autoDeny: null,
    settings: defaultSettings(),
    faults: [],
    stats: emptyStats(),
    usage: createUsageLog(),
    risc: createRiscState(),
  };
}

export function clearState(state: SandboxState): void {
  state.clients.clear();
  state.users.clear();
  clearGrantStore(state.grants);
  state.pending.clear();
  state.autoApprove = null;
  state.autoDeny = null;
  state.settings = defaultSettings();
  state.faults = [];
  state.stats = emptyStats();
  state.usage.clear();
  clearRiscState(state.risc);
}
