/**
 * Constant-time comparison of secrets (tokens, signatures, key hashes), the one every part
 * that checks a secret uses.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether `given` equals `expected`, in time that depends on neither value nor on how
 * long they are (both are hashed to 32 bytes first). Anything but a string is unequal.
 */
export function secretEquals(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(expected));
}
