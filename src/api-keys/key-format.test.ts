import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, prefixOfKey, prefixOfSelector } from './key-format.ts';

const counting = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => i * 9));

describe('API key format', () => {
  // Bytes 0, 9, 18, 27, 36, 45, 54, 63 pick alphabet symbols 0, 9, 18, 27, 4, 13, 22, 31.
  it('builds tid_<prefix>_<secret> from random bytes and hashes the whole key', () => {
    const fresh = generateKey(counting);
    const secret = counting(32).toString('hex');
    expect(fresh).toStrictEqual({
      key: `tid_aju5epy9_${secret}`,
      prefix: 'aju5epy9',
      hash: hashKey(`tid_aju5epy9_${secret}`),
    });
  });

  it('gives distinct keys with 64 hex characters of secret', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateKey().key));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^tid_[a-km-z2-9]{8}_[0-9a-f]{64}$/);
  });

  it('hashes with SHA-256 in hex', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads the prefix of well-formed keys only', () => {
    const { key, prefix } = generateKey();
    expect([
      prefixOfKey(key),
      prefixOfKey(`${key}0`),
      prefixOfKey(key.toUpperCase()),
      prefixOfKey(`Bearer ${key}`),
      prefixOfKey('tid_abcdefgh_'),
      prefixOfKey(''),
      prefixOfKey('x'.repeat(10_000)),
    ]).toStrictEqual([prefix, null, null, null, null, null, null]);
  });

  it('finds the prefix in what a person types to revoke a key', () => {
    expect([
      prefixOfSelector('abcdefgh'),
      prefixOfSelector('tid_abcdefgh'),
      prefixOfSelector(`tid_abcdefgh_${'0'.repeat(64)}`),
      prefixOfSelector('3f2a6c1e-0000-4000-8000-000000000000'),
      prefixOfSelector('ABCDEFGH'),
    ]).toStrictEqual(['abcdefgh', 'abcdefgh', 'abcdefgh', null, null]);
  });
});
