/**
 * Who may send security event tokens, and with which keys: the RISC discovery document
 * of the configured issuer (`<issuer>/.well-known/risc-configuration`), whose `issuer`
 * must name the configured one (Google's ends in a slash: `https://accounts.google.com/`)
 * and whose `jwks_uri` gives the signing keys. The document is cached for an hour; a
 * failed fetch is not retried for a few seconds, so a burst of pushes while Google's
 * endpoint is down costs one request, and a document that can no longer be fetched keeps
 * serving until one can. The key set (jose's remote JWKS) is cached too and
 * fetched again when a token names a key it does not hold, at most every 30 seconds.
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { TidingsError } from '../errors.ts';

const DOCUMENT_TTL_MS = 60 * 60_000;
const RETRY_AFTER_FAILURE_MS = 10_000;
const FETCH_TIMEOUT_MS = 5_000;
const KEYS_COOLDOWN_MS = 30_000;
const KEYS_MAX_AGE_MS = 10 * 60_000;

const httpsOrHttp = z.url({ protocol: /^https?$/ });
const discoveryDocument = z.object({ issuer: z.string().min(1), jwks_uri: httpsOrHttp });

export interface IssuerKeys {
  /** The issuer every token must name (`iss`), exactly as the discovery document gives it. */
  issuer: string;
  keys: JWTVerifyGetKey;
}

export interface IssuerKeysDeps {
  /** The configured issuer, without trailing slash (`https://accounts.google.com`). */
  issuer: string;
  fetch: typeof fetch;
  now: () => Date;
}

/** The keys cannot be had right now: `provider_unavailable`, in words without secrets. */
function unavailable(message: string, cause?: unknown): TidingsError {
  return new TidingsError('provider_unavailable', message, {}, { cause });
}

const withoutSlash = (value: string) => value.replace(/\/+$/, '');

export function createIssuerKeys(deps: IssuerKeysDeps): () => Promise<IssuerKeys> {
  let cached: { value: IssuerKeys; jwksUri: string; until: number } | null = null;
  let failedAt: number | null = null;
  let inFlight: Promise<IssuerKeys> | null = null;

  async function discover(): Promise<IssuerKeys> {
    const url = `${withoutSlash(deps.issuer)}/.well-known/risc-configuration`;
    let body: unknown;
    try {
      const response = await deps.fetch(url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw unavailable(`RISC discovery answered ${response.status}`);
      }
      body = await response.json();
    } catch (error) {
      if (error instanceof TidingsError) throw error;
      throw unavailable(`RISC discovery failed: ${(error as Error).name}`, error);
    }
    const parsed = discoveryDocument.safeParse(body);
    if (!parsed.success) throw unavailable('RISC discovery document is not valid');
    const { issuer, jwks_uri: jwksUri } = parsed.data;
    if (withoutSlash(issuer) !== withoutSlash(deps.issuer)) {
      throw unavailable('RISC discovery names another issuer than GOOGLE_RISC_ISSUER');
    }
    const keys =
      cached?.jwksUri === jwksUri
        ? cached.value.keys
        : createRemoteJWKSet(new URL(jwksUri), {
            cooldownDuration: KEYS_COOLDOWN_MS,
            cacheMaxAge: KEYS_MAX_AGE_MS,
            timeoutDuration: FETCH_TIMEOUT_MS,
            [customFetch]: (target, init) => deps.fetch(target, init),
          });
    const value = { issuer, keys };
    cached = { value, jwksUri, until: deps.now().getTime() + DOCUMENT_TTL_MS };
    return value;
  }

  return async () => {
    const at = deps.now().getTime();
    if (cached && cached.until > at) return cached.value;
    if (failedAt !== null && at - failedAt < RETRY_AFTER_FAILURE_MS) {
      if (cached) return cached.value;
      throw unavailable('RISC discovery failed a moment ago');
    }
    inFlight ??= discover().finally(() => {
      inFlight = null;
    });
    try {
      const value = await inFlight;
      failedAt = null;
      return value;
    } catch (error) {
      failedAt = deps.now().getTime();
      if (cached) return cached.value;
      throw error;
    }
  };
}
