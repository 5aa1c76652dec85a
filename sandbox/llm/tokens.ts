/**
 * A stand-in tokenizer: a word or a single other character counts as one token. Close
 * enough for usage figures and for honouring `max_tokens`; the same text always counts
 * the same.
 */
const TOKEN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

export function countTokens(text: string): number {
  return text.match(TOKEN)?.length ?? 0;
}

/** The text up to and including its `max`-th token, and whether anything was cut. */
export function cutToTokens(text: string, max: number): { text: string; cut: boolean } {
  let seen = 0;
  for (const match of text.matchAll(TOKEN)) {
    seen += 1;
    if (seen === max) {
      const end = match.index + match[0].length;
      return { text: text.slice(0, end), cut: end < text.trimEnd().length };
    }
  }
  return { text, cut: false };
}
