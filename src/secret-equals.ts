/**
 * Constant-time comparison of secrets (tokens, signatures), shared by every part that
 * checks one: a neutral module so that no part reaches into another to use it.
 */
import { timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two secrets of any length. */
export function secretEquals(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
