/**
 * Everything the sandbox core keeps in memory, in one object built per server: OAuth
 * clients, users, grants and tokens, pending consent requests, auto-approve, settings,
 * faults, stats, the per-user usage of the last minute, the Gmail requests in flight and
 * the RISC streams. Its OAuth part is the `OAuthState` of `oauth/`. `clearState` empties it
 * in place (the user map is shared with the Gmail and Calendar modules, so it is never
 * replaced) and puts the settings back to the defaults, or to the ones the sandbox was
 * started with; requests still in flight keep their slots.
 */
import type { FaultReason } from './google-errors.ts';
import {
  clearGrantStore,
  createGrantStore,
  DEFAULT_REFRESH_TOKENS_PER_CLIENT,
} from './oauth/index.ts';
import type { OAuthSettings, OAuthState, OAuthStats } from './oauth/index.ts';
import {
  createInFlight,
  createUsageLog,
  DEFAULT_CALENDAR_REQUESTS_PER_MINUTE,
  DEFAULT_GMAIL_CONCURRENT_REQUESTS_PER_USER,
  DEFAULT_GMAIL_QUOTA_UNITS_PER_MINUTE,
} from './rate-limits.ts';
import type { InFlight, UsageLog } from './rate-limits.ts';
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
  /** Gmail calls refused for too many in flight, by user. */
  gmailConcurrencyRefusals: Record<string, number>;
}

/** The OAuth wing's state (clients, users, grants, consent), with the core's own parts. */
export interface SandboxState extends OAuthState {
  settings: Settings;
  faults: Fault[];
  stats: Stats;
  /** What each user spent in the last minute, per API (the per-user limits). */
  usage: UsageLog;
  /** Gmail requests in flight per user (the per-user concurrency limit). */
  gmailInFlight: InFlight;
  /** Cross-Account Protection streams and what was pushed to them. */
  risc: RiscState;
}

export interface Settings extends OAuthSettings {
  /** Gmail's per-user limit in quota units over a sliding minute. */
  gmailQuotaUnitsPerMinute: number;
  /** Calendar's per-user limit in requests over a sliding minute. */
  calendarRequestsPerMinute: number;
  /** Gmail's per-user limit on requests in flight; null: no limit. */
  gmailConcurrentRequestsPerUser: number | null;
}

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3599;

/** The settings a sandbox starts (and resets) with: Google's, unless `overrides` says. */
export function defaultSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    accessTokenTtlSeconds: DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    rotateRefreshTokens: false,
    publishingStatus: 'in_production',
    expireUnusedRefreshTokens: true,
    refreshTokensPerClient: DEFAULT_REFRESH_TOKENS_PER_CLIENT,
    gmailQuotaUnitsPerMinute: DEFAULT_GMAIL_QUOTA_UNITS_PER_MINUTE,
    calendarRequestsPerMinute: DEFAULT_CALENDAR_REQUESTS_PER_MINUTE,
    gmailConcurrentRequestsPerUser: DEFAULT_GMAIL_CONCURRENT_REQUESTS_PER_USER,
    ...overrides,
  };
}

function emptyStats(): Stats {
  return {
    grants: { authorization_code: 0, refresh_token: 0 },
    revocations: 0,
    requests: {},
    quotaUnits: {},
    gmailConcurrencyRefusals: {},
  };
}

export function createState(settings: Partial<Settings> = {}): SandboxState {
  return {
    clients: new Map(),
    users: new Map(),
    grants: createGrantStore(),
    pending: new Map(),
    autoApprove: null,
    autoDeny: null,
    settings: defaultSettings(settings),
    faults: [],
    stats: emptyStats(),
    usage: createUsageLog(),
    gmailInFlight: createInFlight(),
    risc: createRiscState(),
  };
}

export function clearState(state: SandboxState, settings: Partial<Settings> = {}): void {
  state.clients.clear();
  state.users.clear();
  clearGrantStore(state.grants);
  state.pending.clear();
  state.autoApprove = null;
  state.autoDeny = null;
  state.settings = defaultSettings(settings);
  state.faults = [];
  state.stats = emptyStats();
  state.usage.clear();
  clearRiscState(state.risc);
}
