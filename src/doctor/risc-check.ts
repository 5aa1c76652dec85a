/**
 * Check 9: Google pushes Cross-Account Protection events to this Tidings. Only with
 * `GOOGLE_RISC_SERVICE_ACCOUNT_FILE` (a service account's JSON key, role RISC
 * Configuration Admin): the doctor signs the one-hour token the README describes and reads
 * the stream (`GET /v1beta/stream`, then its status). It passes when the delivery URL is
 * `PUBLIC_URL/google/risc`, the token events are asked for and the stream is enabled. The
 * key file's contents are never shown.
 */
import { readFile } from 'node:fs/promises';
import { importPKCS8, SignJWT } from 'jose';
import { type Config, publicUrlOf } from '../config.ts';
import { EVENT_TYPES } from '../risc/event-types.ts';
import { RISC_PATH } from '../risc/index.ts';
import { type DoctorDeps, hostOf, objectOf, reach } from './http-probe.ts';
import { type CheckResult, fail, pass, skip } from './report.ts';

const ID = 'google-risc';
const AUDIENCE = 'https://risc.googleapis.com/google.identity.risc.v1beta.RiscManagementService';
/** What Tidings acts on by revoking: without these, Google's revocations wait for the health check. */
const TOKEN_EVENTS = [EVENT_TYPES['tokens-revoked'], EVENT_TYPES['token-revoked']];
const README = 'README, "Cross-Account Protection", steps 3–4';

interface ServiceAccountKey {
  email: string;
  keyId: string;
  privateKey: string;
}

type Loaded = { ok: true; key: ServiceAccountKey } | { ok: false; result: CheckResult };

async function loadKey(file: string): Promise<Loaded> {
  const setting = `GOOGLE_RISC_SERVICE_ACCOUNT_FILE (${file})`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      result: fail(
        ID,
        `cannot read ${setting}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        'Point GOOGLE_RISC_SERVICE_ACCOUNT_FILE at the service account JSON key, readable by this user.',
      ),
    };
  }
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = objectOf(JSON.parse(text));
  } catch {
    parsed = null;
  }
  const {
    type,
    client_email: email,
    private_key_id: keyId,
    private_key: privateKey,
  } = parsed ?? {};
  if (
    type !== 'service_account' ||
    typeof email !== 'string' ||
    typeof keyId !== 'string' ||
    typeof privateKey !== 'string'
  ) {
    return {
      ok: false,
      result: fail(
        ID,
        `${setting} is not a service account JSON key (type service_account with client_email, private_key_id and private_key)`,
        'Download a JSON key of the service account (IAM → Service accounts → Keys → Add key → JSON) and point GOOGLE_RISC_SERVICE_ACCOUNT_FILE at it.',
      ),
    };
  }
  return { ok: true, key: { email, keyId, privateKey } };
}

async function bearerFor(key: ServiceAccountKey, now: Date): Promise<string | null> {
  try {
    const signingKey = await importPKCS8(key.privateKey, 'RS256');
    const iat = Math.floor(now.getTime() / 1000);
    return await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: key.keyId })
      .setIssuer(key.email)
      .setSubject(key.email)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(signingKey);
  } catch {
    return null;
  }
}

function refused(status: number, body: unknown, email: string): CheckResult {
  const error = objectOf(objectOf(body)?.error);
  const message = typeof error?.message === 'string' ? error.message : '';
  if (status === 404) {
    return fail(
      ID,
      'no Cross-Account Protection stream is registered for this Google Cloud project',
      `Register PUBLIC_URL/google/risc with stream:update (${README}).`,
    );
  }
  if (status === 401) {
    return fail(
      ID,
      `Google refused the token signed with the key of ${email}: the key was deleted or disabled, or the file is not a current key`,
      'Create a new JSON key for the service account and point GOOGLE_RISC_SERVICE_ACCOUNT_FILE at it.',
    );
  }
  if (status === 403) {
    return fail(
      ID,
      `${email} may not manage Cross-Account Protection${message ? ` (${message})` : ''}`,
      'Give the service account the role RISC Configuration Admin (roles/riscconfigs.admin) and enable the RISC API in the project of the OAuth client.',
    );
  }
  return fail(
    ID,
    `the RISC API answered HTTP ${status}${message ? ` (${message})` : ''}`,
    status >= 500
      ? 'Google’s RISC API is having trouble: try again in a few minutes.'
      : 'Check GOOGLE_RISC_API_ROOT (default https://risc.googleapis.com).',
  );
}

export async function checkRisc(config: Config, deps: DoctorDeps): Promise<CheckResult> {
  const file = config.google.riscServiceAccountFile;
  if (!file) {
    return skip(
      ID,
      'not checked: set GOOGLE_RISC_SERVICE_ACCOUNT_FILE to a JSON key of a service account with the role RISC Configuration Admin to check that Google pushes security events to PUBLIC_URL/google/risc',
    );
  }
  const loaded = await loadKey(file);
  if (!loaded.ok) return loaded.result;
  const { key } = loaded;
  const bearer = await bearerFor(key, deps.now());
  if (!bearer) {
    return fail(
      ID,
      `the private_key in GOOGLE_RISC_SERVICE_ACCOUNT_FILE (${file}) is not an RSA key in PKCS#8 PEM`,
      'Download a new JSON key of the service account and point GOOGLE_RISC_SERVICE_ACCOUNT_FILE at it.',
    );
  }
  const root = config.google.riscApiRoot;
  const headers = { authorization: `Bearer ${bearer}`, accept: 'application/json' };
  const target = { url: `${root}/v1beta/stream`, setting: 'GOOGLE_RISC_API_ROOT' };
  const stream = await reach(deps, target, { headers });
  if (!stream.ok) return fail(ID, stream.summary, stream.fix);
  if (stream.status !== 200) return refused(stream.status, stream.json, key.email);
  const body = objectOf(stream.json) ?? {};
  const url = objectOf(body.delivery)?.url;
  const requested = Array.isArray(body.events_requested) ? body.events_requested : [];
  const expected = `${publicUrlOf(config, config.port)}${RISC_PATH}`;
  const details = {
    serviceAccount: key.email,
    deliveryUrl: typeof url === 'string' ? url : null,
    eventsRequested: requested.filter((event): event is string => typeof event === 'string'),
  };
  if (url !== expected) {
    return fail(
      ID,
      typeof url === 'string'
        ? `Google pushes security events to ${url}, not to ${expected}`
        : `the stream names no delivery URL; Tidings receives at ${expected}`,
      `Point the stream at ${expected} with stream:update (${README}).`,
      details,
    );
  }
  const missing = TOKEN_EVENTS.filter((event) => !requested.includes(event));
  if (missing.length > 0) {
    return fail(
      ID,
      `the stream does not ask for ${missing.map((event) => event.split('/').at(-1)).join(' and ')}: revocations would wait for the daily health check`,
      `Ask for every event type with stream:update (${README}).`,
      details,
    );
  }
  const status = await reach(
    deps,
    { url: `${root}/v1beta/stream/status`, setting: 'GOOGLE_RISC_API_ROOT' },
    { headers },
  );
  if (!status.ok) return fail(ID, status.summary, status.fix);
  if (status.status !== 200) return refused(status.status, status.json, key.email);
  const state = objectOf(status.json)?.status;
  if (state !== 'enabled') {
    return fail(
      ID,
      `the stream to ${expected} is ${typeof state === 'string' ? state : 'in an unknown state'}: Google sends nothing`,
      `Enable it: POST ${hostOf(root)}/v1beta/stream/status:update {"status": "enabled"} with the same token (${README}).`,
      details,
    );
  }
  return pass(
    ID,
    `Google pushes security events to ${expected} (stream enabled, token events asked for)`,
    details,
  );
}
