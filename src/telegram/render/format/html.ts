/**
 * Builders for Telegram's HTML parse mode. Every builder escapes the plain text it is
 * given; to nest one builder's output inside another, wrap it as `{ html }` so it is not
 * escaped twice: `bold({ html: link(url, 'Invoice') })`.
 */

/** Markup that is already valid Telegram HTML and must not be escaped again. */
export interface SafeHtml {
  readonly html: string;
}

export type Content = string | SafeHtml;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes `&`, `<`, `>` and `"`, so any text is safe in a message body or an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ESCAPES[char] ?? char);
}

function render(content: Content): string {
  return typeof content === 'string' ? escapeHtml(content) : content.html;
}

export function bold(content: Content): string {
  return `<b>${render(content)}</b>`;
}

export function italic(content: Content): string {
  return `<i>${render(content)}</i>`;
}

export function underline(content: Content): string {
  return `<u>${render(content)}</u>`;
}

export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A preformatted block, optionally tagged with a language for highlighting. */
export function pre(text: string, language?: string): string {
  const safeLanguage = language?.replace(/[^A-Za-z0-9_+-]/g, '');
  if (!safeLanguage) return `<pre>${escapeHtml(text)}</pre>`;
  return `<pre><code class="language-${safeLanguage}">${escapeHtml(text)}</code></pre>`;
}

export function blockquote(content: Content, options: { expandable?: boolean } = {}): string {
  const open = options.expandable ? '<blockquote expandable>' : '<blockquote>';
  return `${open}${render(content)}</blockquote>`;
}

/**
 * Links come from untrusted mail and invitations: a `tg:` link would open a chat, a bot or
 * a proxy setting from a tap inside Telegram, so only web and mail addresses are links.
 */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** A link for http, https and mailto addresses; any other href renders as plain text. */
export function link(href: string, content: Content): string {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return render(content);
  }
  if (!LINK_SCHEMES.has(url.protocol)) return render(content);
  return `<a href="${escapeHtml(url.href)}">${render(content)}</a>`;
}

/** Marks a string as already-valid markup, for passing into another builder. */
export function html(markup: string): SafeHtml {
  return { html: markup };
}
