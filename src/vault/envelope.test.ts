import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatEnvelope,
  openWith,
  parseEnvelope,
  sealWith,
  unwrapDataKey,
  VaultError,
} from './envelope.ts';

const kek = randomBytes(32);
const binding = { purpose: 'connection-token', recordId: 'conn-1' };

function open(sealed: string, at = binding, key = kek): string {
  const parts = parseEnvelope(sealed);
  return openWith(unwrapDataKey(key, parts, at), parts, at).toString('utf8');
}

function kindOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof VaultError) return error.kind;
    throw error;
  }
  return 'no error';
}

/** Flips one bit of segment `index` of a sealed string. */
function flip(sealed: string, index: number, byte = 0): string {
  const segments = sealed.split('.');
  const bytes = Buffer.from(segments[index]!, 'base64url');
  bytes[byte] = (bytes[byte] ?? 0) ^ 1;
  segments[index] = bytes.toString('base64url');
  return segments.join('.');
}

describe('envelope', () => {
  it('round-trips a payload', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('{"refresh_token":"1//0abc"}'));
    expect(sealed.startsWith('tv1.1.')).toBe(true);
    expect(sealed).not.toContain('1//0abc');
    expect(open(sealed)).toBe('{"refresh_token":"1//0abc"}');
  });

  it('uses a fresh data key and IV for every seal', () => {
    const a = sealWith(kek, 1, binding, Buffer.from('same'));
    const b = sealWith(kek, 1, binding, Buffer.from('same'));
    expect(a).not.toBe(b);
  });

  it('rejects a tampered payload ciphertext', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    expect(kindOf(() => open(flip(sealed, 4, 0)))).toBe('authentication_failed');
  });

  it('rejects a tampered tag', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    const tagByte = Buffer.from(sealed.split('.')[4]!, 'base64url').length - 1;
    expect(kindOf(() => open(flip(sealed, 4, tagByte)))).toBe('authentication_failed');
  });

  it('rejects a tampered IV', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    expect(kindOf(() => open(flip(sealed, 3, 5)))).toBe('authentication_failed');
  });

  it('rejects a tampered wrapped data key', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    expect(kindOf(() => open(flip(sealed, 2, 20)))).toBe('authentication_failed');
  });

  it('rejects a ciphertext moved to another record (additional data)', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    expect(kindOf(() => open(sealed, { purpose: 'connection-token', recordId: 'conn-2' }))).toBe(
      'authentication_failed',
    );
    expect(kindOf(() => open(sealed, { purpose: 'oauth-state', recordId: 'conn-1' }))).toBe(
      'authentication_failed',
    );
  });

  it('rejects a ciphertext whose key version was rewritten', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    const parts = parseEnvelope(sealed);
    const relabelled = formatEnvelope({ ...parts, keyVersion: 2 });
    expect(kindOf(() => open(relabelled))).toBe('authentication_failed');
  });

  it('rejects a wrong key', () => {
    const sealed = sealWith(kek, 1, binding, Buffer.from('a secret payload'));
    expect(kindOf(() => open(sealed, binding, randomBytes(32)))).toBe('authentication_failed');
  });

  it.each(['', 'tv1', 'tv2.1.a.b.c', 'tv1.x.a.b.c', 'tv1.1.AAAA.AAAA.AAAA', 'not a record at all'])(
    'rejects malformed input %j',
    (input) => {
      expect(kindOf(() => parseEnvelope(input))).toBe('malformed');
    },
  );
});
