/**
 * The shape of a Tidings API key: `tid_<prefix>_<secret>`. The prefix (8 characters from
 * an unambiguous alphabet) is stored in clear so people can tell keys apart; the secret is
 * 256 random bits in hex. Only the SHA-256 of the whole key is stored.
 *
 * Why a plain SHA-256 and not a slow password hash: the secret is 256 bits from the
 * system CSPRNG, so there is nothing to guess and a stolen hash cannot be brute-forced;
 * slow hashes (scrypt, argon2) protect low-entropy passwords and would only add latency
 * to every request.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 32 symbols without 0/o, 1/l: one symbol per 5 random bits, no modulo bias. */
const PREFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const PREFIX_LENGTH = 8;
const SECRET_BYTES = 32;

const KEY_SHAPE = /^tid_([a-km-z2-9]{8})_([0-9a-f]{64})$/;
const PREFIX_SHAPE = /^[a-km-z2-9]{8}$/;

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

function randomPrefix(random: (size: number) => Buffer): string {
  const bytes = random(PREFIX_LENGTH);
  let prefix = '';
  for (const byte of bytes) prefix += PREFIX_ALPHABET[byte & 31];
  return prefix;
}

/** A fresh key with its display prefix and storage hash. */
export function generateKey(random: (size: number) => Buffer = randomBytes): NewKey {
  const prefix = randomPrefix(random);
  const key = `tid_${prefix}_${random(SECRET_BYTES).toString('hex')}`;
  return { key, prefix, hash: hashKey(key) };
}

/** SHA-256 of the whole key, hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The prefix of a well-formed key, or null for anything else. */
export function prefixOfKey(key: string): string | null {
  if (key.length > 100) return null;
  return KEY_SHAPE.exec(key)?.[1] ?? null;
}

/**
 * The prefix named by what a person typed to revoke a key: a bare prefix, `tid_<prefix>`,
 * or a whole key. Null when it names no prefix (it may still be a key id).
 */
export function prefixOfSelector(text: string): string | null {
  if (PREFIX_SHAPE.test(text)) return text;
  const match = /^tid_([a-km-z2-9]{8})(?:_|$)/.exec(text);
  return match?.[1] ?? null;
}
