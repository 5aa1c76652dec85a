/**
 * One normal form for user text before routing: Unicode-normalised, curly quotes and
 * apostrophes made plain, lower-cased, whitespace collapsed.
 */

export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text without trailing punctuation, for whole-message comparisons. */
export function withoutTrailingPunctuation(text: string): string {
  return text.replace(/[\s?!.,;:]+$/, '');
}
