/**
 * Case- and accent-insensitive word and phrase matching, the way Gmail search treats text:
 * a term matches whole words (so `invoice` does not match `invoices`), a phrase matches
 * consecutive words, and scripts written without spaces (Japanese, Chinese) match anywhere.
 */

/** Lower-cases, strips diacritics and collapses whitespace. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const cache = new Map<string, RegExp>();

/** Whether `term` (already folded) occurs as whole words in `haystack` (already folded). */
export function containsTerm(haystack: string, term: string): boolean {
  if (term === '') return true;
  if (NO_SPACES.test(term)) return haystack.includes(term);
  let pattern = cache.get(term);
  if (!pattern) {
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, 'u');
    if (cache.size > 500) cache.clear();
    cache.set(term, pattern);
  }
  return pattern.test(haystack);
}
