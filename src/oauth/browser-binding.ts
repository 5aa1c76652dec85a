/**
 * Binds an OAuth state to the browser that started it: one signed, HttpOnly,
 * SameSite=Lax cookie per sign-in in flight, named after a short hash of its state, so
 * two sign-ins started in one browser do not overwrite each other. Each lives as long as
 * its state and is scoped to the connect routes as the browser sees them (with
 * `PUBLIC_URL`'s path prefix, when Tidings is served under one). The callback clears only
 * the cookie that matched the state it completes, so a stray or cross-site hit on the
 * callback cancels nobody's sign-in; a browser keeps at most `MAX_BINDINGS`, starting one
 * more drops the oldest.
 */
import { createHmac } from 'node:crypto';
import { secretEquals } from '../common/index.ts';
import { hashToken, STATE_TTL_MS } from './one-time-tokens.ts';

export const CALLBACK_PATH = '/oauth/google/callback';
/** Where the cookies are sent: the start (which bounds their number) and the callback. */
const ROUTES_PATH = '/oauth/google';
const PREFIX = 'tidings_oauth_';
const NAME_LENGTH = 16;
const MAX_AGE_SECONDS = STATE_TTL_MS / 1000;
/** Sign-ins one browser may have in flight at once. */
export const MAX_BINDINGS = 5;

interface Binding {
  name: string;
  /** Milliseconds since the epoch, signed with the rest. */
  issuedAt: number;
  /** Its place in the request's cookies (browsers send older cookies first). */
  position: number;
  hash: string;
  signature: string;
}

function sign(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

function nameFor(state: string): string {
  return `${PREFIX}${hashToken(state).slice(0, NAME_LENGTH)}`;
}

/** Every binding cookie the request carries, well-formed or not. */
function bindingsIn(header: string | undefined): Binding[] {
  const out: Binding[] = [];
  for (const part of (header ?? '').split(';')) {
    const [name = '', ...rest] = part.trim().split('=');
    if (!name.startsWith(PREFIX)) continue;
    const [issuedAt = '', hash = '', signature = ''] = rest.join('=').split('.');
    out.push({ name, issuedAt: Number(issuedAt) || 0, position: out.length, hash, signature });
  }
  return out;
}

/** The path of the connect routes as the browser sees them: `PUBLIC_URL`'s path, then ours. */
export function cookiePath(publicUrl: string): string {
  const prefix = new URL(publicUrl).pathname.replace(/\/+$/, '');
  return `${prefix}${ROUTES_PATH}`;
}

function attributes(publicUrl: string): string {
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  return `Path=${cookiePath(publicUrl)}; HttpOnly; SameSite=Lax${secure}`;
}

function cleared(name: string, publicUrl: string): string {
  return `${name}=; Max-Age=0; ${attributes(publicUrl)}`;
}

/**
 * `Set-Cookie` values binding this browser to `state`: the new cookie first, then the
 * removal of the oldest ones the request carried beyond `MAX_BINDINGS - 1`.
 */
export function bindingCookies(
  key: Buffer,
  state: string,
  options: { publicUrl: string; cookieHeader: string | undefined; now: Date },
): string[] {
  const issuedAt = options.now.getTime();
  const value = `${issuedAt}.${hashToken(state)}`;
  const cookie = `${nameFor(state)}=${value}.${sign(key, value)}; Max-Age=${MAX_AGE_SECONDS}; ${attributes(options.publicUrl)}`;
  const older = bindingsIn(options.cookieHeader).sort(
    (a, b) => b.issuedAt - a.issuedAt || b.position - a.position,
  );
  const dropped = older.slice(MAX_BINDINGS - 1).map((b) => cleared(b.name, options.publicUrl));
  return [cookie, ...dropped];
}

/** `Set-Cookie` value that removes the binding of `state` (and no other). */
export function clearedCookie(state: string, publicUrl: string): string {
  return cleared(nameFor(state), publicUrl);
}

/**
 * Whether the request's cookies bind it to `state`: `missing` when it carries no binding
 * at all, `mismatch` when its bindings are for other sign-ins or are not ours.
 */
export function checkBinding(
  key: Buffer,
  cookieHeader: string | undefined,
  state: string,
): 'ok' | 'missing' | 'mismatch' {
  const bindings = bindingsIn(cookieHeader);
  if (bindings.length === 0) return 'missing';
  const mine = bindings.find((b) => b.name === nameFor(state));
  if (!mine) return 'mismatch';
  const signed = secretEquals(mine.signature, sign(key, `${mine.issuedAt}.${mine.hash}`));
  const matches = secretEquals(mine.hash, hashToken(state));
  return signed && matches ? 'ok' : 'mismatch';
}
