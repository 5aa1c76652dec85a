/**
 * Shortens plain text (a subject, a snippet) to a maximum length with an ellipsis,
 * preferring a word boundary and never splitting a surrogate pair. Truncate before
 * escaping: the result is still plain text.
 */

const ELLIPSIS = '…';

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? ELLIPSIS : '';
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  let head = text.slice(0, cut);
  const space = head.search(/\s\S*$/);
  if (space >= Math.floor(cut * 0.7)) head = head.slice(0, space);
  return `${head.trimEnd()}${ELLIPSIS}`;
}
