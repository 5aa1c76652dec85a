/**
 * The doctor's one way to call a service over HTTP: every call has a time limit, and a
 * service that cannot be reached becomes a sentence naming the host and the setting that
 * holds it — the one translation point for `fetch` errors here. Sentences never contain
 * the URL's path or query (a bot token travels in the path), only its origin.
 */

export interface DoctorDeps {
  fetch: typeof fetch;
  /** Per network call, the answer's body included. */
  timeoutMs: number;
  /** The local clock. */
  now(): Date;
}

/** Where a call goes, and which setting decides it (named when it fails). */
export interface Target {
  url: string;
  setting: string;
}

export type Reached =
  | {
      ok: true;
      status: number;
      headers: Headers;
      /** The parsed JSON body, or undefined when the body is not JSON. */
      json: unknown;
    }
  | { ok: false; summary: string; fix: string };

/** A host as people read it: `accounts.google.com`, `127.0.0.1:4010`. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection broke off',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another name",
};

/** Why a call failed, in words, from the error `fetch` threw (no message is echoed). */
export function reasonOf(error: unknown, timeoutMs: number): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current.name === 'TimeoutError' || current.name === 'AbortError') {
      return `no answer within ${formatSeconds(timeoutMs)}`;
    }
    if (current.message === 'bad port') return 'fetch refuses to call that port (a blocked port)';
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && REASONS[code]) return REASONS[code];
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return `the call failed (${code})`;
    current = current instanceof AggregateError ? current.errors[0] : current.cause;
  }
  return 'the call failed';
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** Calls `target.url`; any failure to get a whole answer in time is a `{ ok: false }`. */
export async function reach(
  deps: DoctorDeps,
  target: Target,
  init: RequestInit = {},
): Promise<Reached> {
  const host = hostOf(target.url);
  try {
    const response = await deps.fetch(target.url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { ok: true, status: response.status, headers: response.headers, json };
  } catch (error) {
    return {
      ok: false,
      summary: `could not reach ${host} (${target.setting}): ${reasonOf(error, deps.timeoutMs)}`,
      fix: `Check ${target.setting} and that this machine reaches ${host} (DNS, firewall, proxy).`,
    };
  }
}

/** The object at `json`, or null when it is not an object. */
export function objectOf(json: unknown): Record<string, unknown> | null {
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : null;
}
