/**
 * Escaping for text put into HTML and SVG: the consent and error pages of the OAuth wing
 * and the avatar pictures of the control API.
 */

/** `value` with `& < > " '` escaped, safe in element text and quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
