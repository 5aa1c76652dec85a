/**
 * Envelope encryption of one record. A random 256-bit data key encrypts the payload with
 * AES-256-GCM; the data key itself is wrapped (AES-256-GCM) by a versioned key-encryption
 * key. Both layers bind additional data naming the record (`<purpose>:<record id>`), so a
 * ciphertext copied onto another row does not open.
 *
 * Sealed form (text): `tv1.<key version>.<wrapped data key>.<payload iv>.<payload ct+tag>`,
 * base64url parts. Re-wrapping replaces the first three parts and never touches the payload.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 'tv1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export type VaultErrorKind = 'malformed' | 'authentication_failed' | 'unknown_key_version';

/** The vault's one error: the caller decides (the broker turns any of these into `corrupt`). */
export class VaultError extends Error {
  readonly kind: VaultErrorKind;
  constructor(kind: VaultErrorKind, message: string) {
    super(message);
    this.name = 'VaultError';
    this.kind = kind;
  }
}

/** What a ciphertext is bound to: its purpose (table/column) and its record id. */
export interface RecordBinding {
  purpose: string;
  recordId: string;
}

export function bindingData(binding: RecordBinding): Buffer {
  if (!binding.purpose || !binding.recordId || binding.purpose.includes(':')) {
    throw new VaultError('malformed', 'a record binding needs a purpose and a record id');
  }
  return Buffer.from(`tidings:${binding.purpose}:${binding.recordId}`, 'utf8');
}

export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function gcmDecrypt(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new VaultError('malformed', 'ciphertext is too short');
  }
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new VaultError('authentication_failed', 'ciphertext failed authentication');
  }
}

export interface EnvelopeParts {
  keyVersion: number;
  wrappedKey: Buffer;
  payload: Buffer;
}

export function parseEnvelope(sealed: string): EnvelopeParts {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT) {
    throw new VaultError('malformed', 'not a sealed record');
  }
  const keyVersion = Number(parts[1]);
  if (!Number.isSafeInteger(keyVersion) || keyVersion < 1) {
    throw new VaultError('malformed', 'sealed record has no valid key version');
  }
  const wrappedKey = Buffer.from(parts[2] ?? '', 'base64url');
  const payload = Buffer.concat([
    Buffer.from(parts[3] ?? '', 'base64url'),
    Buffer.from(parts[4] ?? '', 'base64url'),
  ]);
  if (
    wrappedKey.length !== IV_BYTES + KEY_BYTES + TAG_BYTES ||
    payload.length < IV_BYTES + TAG_BYTES
  ) {
    throw new VaultError('malformed', 'sealed record is truncated');
  }
  return { keyVersion, wrappedKey, payload };
}

export function formatEnvelope(parts: EnvelopeParts): string {
  return [
    FORMAT,
    String(parts.keyVersion),
    parts.wrappedKey.toString('base64url'),
    parts.payload.subarray(0, IV_BYTES).toString('base64url'),
    parts.payload.subarray(IV_BYTES).toString('base64url'),
  ].join('.');
}

/** Seals `plaintext` for one record under the key-encryption key `kek` of version `keyVersion`. */
export function sealWith(
  kek: Buffer,
  keyVersion: number,
  binding: RecordBinding,
  plaintext: Buffer,
): string {
  const aad = bindingData(binding);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const payload = gcmEncrypt(dataKey, plaintext, aad);
    const wrappedKey = gcmEncrypt(kek, dataKey, wrapAad(aad, keyVersion));
    return formatEnvelope({ keyVersion, wrappedKey, payload });
  } finally {
    dataKey.fill(0);
  }
}

export function unwrapDataKey(kek: Buffer, parts: EnvelopeParts, binding: RecordBinding): Buffer {
  return gcmDecrypt(kek, parts.wrappedKey, wrapAad(bindingData(binding), parts.keyVersion));
}

export function openWith(dataKey: Buffer, parts: EnvelopeParts, binding: RecordBinding): Buffer {
  return gcmDecrypt(dataKey, parts.payload, bindingData(binding));
}

export function wrapDataKey(
  kek: Buffer,
  keyVersion: number,
  dataKey: Buffer,
  binding: RecordBinding,
): Buffer {
  return gcmEncrypt(kek, dataKey, wrapAad(bindingData(binding), keyVersion));
}

function wrapAad(aad: Buffer, keyVersion: number): Buffer {
  return Buffer.concat([aad, Buffer.from(`:k${keyVersion}`, 'utf8')]);
}
