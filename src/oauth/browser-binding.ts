/**
 * Binds an OAuth state to the browser that started it: a signed, HttpOnly, SameSite=Lax
 * cookie holding the state's hash, scoped to the callback path as the browser sees it
 * (with `PUBLIC_URL`'s path prefix, when Tidings is served under one).
 */
import { createHmac } from 'node:crypto';
import { secretEquals } from '../common/index.ts';
import { hashToken } from './one-time-tokens.ts';

export const CALLBACK_PATH = '/oauth/google/callback';
const COOKIE = 'tidings_oauth';
const MAX_AGE_SECONDS = 600;

function sign(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The callback's path as the browser sees it: `PUBLIC_URL`'s path, then the callback. */
export function cookiePath(publicUrl: string): string {
  const prefix = new URL(publicUrl).pathname.replace(/\/+$/, '');
  return `${prefix}${CALLBACK_PATH}`;
}

function attributes(publicUrl: string): string {
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  return `Path=${cookiePath(publicUrl)}; HttpOnly; SameSite=Lax${secure}`;
}

/** `Set-Cookie` value binding this browser to `state`. */
export function bindingCookie(key: Buffer, state: string, publicUrl: string): string {
  const binding = hashToken(state);
  return `${COOKIE}=${binding}.${sign(key, binding)}; Max-Age=${MAX_AGE_SECONDS}; ${attributes(publicUrl)}`;
}

/** `Set-Cookie` value that removes the binding. */
export function clearedCookie(publicUrl: string): string {
  return `${COOKIE}=; Max-Age=0; ${attributes(publicUrl)}`;
}

/** Whether the request's cookie binds it to `state`. */
export function checkBinding(
  key: Buffer,
  cookieHeader: string | undefined,
  state: string,
): 'ok' | 'missing' | 'mismatch' {
  const cookie = readCookie(cookieHeader, COOKIE);
  if (!cookie) return 'missing';
  const [binding = '', signature = ''] = cookie.split('.');
  const signed = secretEquals(signature, sign(key, binding));
  const matches = secretEquals(binding, hashToken(state));
  return signed && matches ? 'ok' : 'mismatch';
}
