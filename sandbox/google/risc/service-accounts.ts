/**
 * Service accounts for the RISC configuration API, as Google authorizes its callers: a
 * bearer JWT the service account signs itself (RS256, `kid` its key id, `iss` and `sub`
 * its email, `aud` the RISC management service, at most one hour long). A service account
 * is registered for the project of one OAuth client (the sandbox keeps one stream per
 * client) with its public key, or gets a new key pair and its JSON key file back, the
 * way the Cloud console hands one out. An unusable token is a 401 and a service account
 * without the RISC Configuration Admin role a 403, with Google's messages.
 */
import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomInt,
  verify,
} from 'node:crypto';

/** The audience Google requires of a self-signed token for the RISC API. */
export const RISC_API_AUDIENCE =
  'https://risc.googleapis.com/google.identity.risc.v1beta.RiscManagementService';
export const RISC_ADMIN_ROLE = 'roles/riscconfigs.admin';
/** Google accepts self-signed tokens valid for one hour at most. */
const MAX_LIFETIME_SECONDS = 3600;
/** How far ahead of the sandbox clock an `iat` may be. */
const LEEWAY_SECONDS = 300;

export const UNAUTHENTICATED_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
export const PERMISSION_DENIED_MESSAGE = 'The caller does not have permission';

export interface ServiceAccount {
  email: string;
  /** The OAuth client whose project (and so whose stream) the account belongs to. */
  clientId: string;
  keyId: string;
  publicKey: KeyObject;
  roles: string[];
}

export interface ServiceAccountInput {
  clientId: string;
  email?: string;
  /** SPKI PEM; without it a key pair is made and the private half returned once. */
  publicKey?: string;
  keyId?: string;
  roles?: string[];
}

export type ServiceAccountAuth =
  | { ok: true; account: ServiceAccount }
  | { ok: false; status: 401 | 403; message: string };

/** What a project id looks like: lower case, digits and hyphens. */
function projectIdOf(clientId: string): string {
  const slug = clientId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `sandbox-${slug || 'project'}`.slice(0, 30);
}

/**
 * Registers an account; the JSON key file when the sandbox made the key, else null.
 * Throws when `publicKey` is not an RSA public key in PEM.
 */
export function registerServiceAccount(
  accounts: Map<string, ServiceAccount>,
  input: ServiceAccountInput,
  tokenUri: string,
): { account: ServiceAccount; keyFile: Record<string, string> | null } {
  const projectId = projectIdOf(input.clientId);
  const email = (input.email ?? `risc-admin@${projectId}.iam.gserviceaccount.com`).toLowerCase();
  const keyId = input.keyId ?? randomBytes(20).toString('hex');
  let privateKey: string | null = null;
  let publicKey: KeyObject;
  if (input.publicKey === undefined) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    publicKey = pair.publicKey;
  } else {
    publicKey = createPublicKey(input.publicKey);
    if (publicKey.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  }
  const account: ServiceAccount = {
    email,
    clientId: input.clientId,
    keyId,
    publicKey,
    roles: [...new Set(input.roles ?? [RISC_ADMIN_ROLE])],
  };
  accounts.set(email, account);
  if (privateKey === null) return { account, keyFile: null };
  let numericId = '1';
  while (numericId.length < 21) numericId += String(randomInt(10));
  return {
    account,
    keyFile: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: keyId,
      private_key: privateKey,
      client_email: email,
      client_id: numericId,
      token_uri: tokenUri,
    },
  };
}

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const denied: ServiceAccountAuth = { ok: false, status: 401, message: UNAUTHENTICATED_MESSAGE };

/** Checks a self-signed service-account JWT against the registered accounts. */
export function authenticateServiceAccount(
  jwt: string,
  accounts: Map<string, ServiceAccount>,
  now: Date,
): ServiceAccountAuth {
  const parts = jwt.split('.');
  if (parts.length !== 3) return denied;
  const [head, body, signature] = parts as [string, string, string];
  const header = decodePart(head);
  const claims = decodePart(body);
  if (header?.alg !== 'RS256' || claims === null) return denied;
  const email = typeof claims.iss === 'string' ? claims.iss.toLowerCase() : '';
  const account = accounts.get(email);
  if (!account || claims.sub !== claims.iss) return denied;
  if (header.kid !== undefined && header.kid !== account.keyId) return denied;
  let signed = false;
  try {
    signed = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      account.publicKey,
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    signed = false;
  }
  if (!signed) return denied;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(RISC_API_AUDIENCE)) return denied;
  const { iat, exp } = claims;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (typeof iat !== 'number' || typeof exp !== 'number') return denied;
  if (exp <= nowSeconds || iat > nowSeconds + LEEWAY_SECONDS) return denied;
  if (exp - iat > MAX_LIFETIME_SECONDS) return denied;
  if (!account.roles.includes(RISC_ADMIN_ROLE)) {
    return { ok: false, status: 403, message: PERMISSION_DENIED_MESSAGE };
  }
  return { ok: true, account };
}
