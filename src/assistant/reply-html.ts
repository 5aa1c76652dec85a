/**
 * A model's answer (Markdown-ish text) as Telegram HTML that is safe to send as it is.
 *
 * Everything is escaped; `**bold**`, headings (shown bold), `-`/`*` lists (shown as `•`),
 * inline code and fenced blocks are kept. Links are where an answer can leak data, so:
 * - a Markdown link, an `<a href>` or a bare URL stays tappable only when its exact http(s)
 *   URL came back from a tool in this answer (`AllowedLinks`); its text is then the URL
 *   itself whenever the given text looks like a link too, so a label cannot name another
 *   site;
 * - every other URL, `hxxp` spelling, bare domain (Unicode, punycode, ideographic dots),
 *   address not found in the data, and `/command` is shown inside `<code>`, where Telegram
 *   does not make it tappable; long ones are shortened;
 * - Markdown and HTML images never become links: their description and address are shown
 *   as text.
 * Reasoning a model wrote into its answer (`<think>…</think>`, as some local servers pass
 * it on) is dropped. Invisible and bidirectional characters go next, so they cannot hide a
 * domain from this scan. Replies also go out with link previews off (the bot's `sendReply` does that).
 */
import { neutralise } from '../agent-tools/index.ts';
import { escapeHtml } from '../common/index.ts';
import { type AllowedLinks, httpUrl, linkTokens } from './links.ts';

/** A link shown as code is cut to this many characters: it is evidence, not a target. */
const SHOWN_URL_MAX = 100;

const IMAGE = String.raw`!\[(?<imageAlt>[^\]\n]{0,300})\]\(\s*<?(?<imageUrl>[^\s)>]*)>?(?:\s+"[^"\n]*")?\s*\)`;
const LINK = String.raw`\[(?<linkText>[^\]\n]{1,300})\]\(\s*<?(?<linkUrl>[^\s)>]*)>?(?:\s+"[^"\n]*")?\s*\)`;
const ANCHOR = String.raw`<a\s[^>\n]*?href\s*=\s*["']?(?<anchorUrl>[^"'\s>]*)["']?[^>\n]*>(?<anchorText>[^<\n]{0,300})</a\s*>`;
const IMG_TAG = String.raw`<img\s[^>\n]*?src\s*=\s*["']?(?<imgSrc>[^"'\s>]*)["']?[^>\n]*>`;
const CODE = String.raw`\x60(?<code>[^\x60\n]+)\x60`;

/** The constructs rendered as a whole, earliest first; the text between them is plain. */
const ATOMS = new RegExp(`${CODE}|${IMAGE}|${LINK}|${ANCHOR}|${IMG_TAG}`, 'gi');

function clipped(text: string): string {
  return text.length > SHOWN_URL_MAX ? `${text.slice(0, SHOWN_URL_MAX - 1)}…` : text;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** An http(s) URL the data returned, or null. */
function allowedUrl(url: string, allowed: AllowedLinks): string | null {
  const exact = httpUrl(url);
  return exact !== null && allowed.urls.has(exact) ? exact : null;
}

/** Plain text: escaped, every link-like token live only when allowed, else in code. */
function plain(text: string, allowed: AllowedLinks): string {
  let out = '';
  let at = 0;
  for (const token of linkTokens(text)) {
    out += escapeHtml(text.slice(at, token.index));
    at = token.index + token.text.length;
    const url = token.kind === 'url' ? allowedUrl(token.text, allowed) : null;
    if (url) out += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    else if (token.kind === 'email' && allowed.emails.has(token.text.toLowerCase())) {
      out += escapeHtml(token.text);
    } else out += code(clipped(token.text));
  }
  return out + escapeHtml(text.slice(at));
}

/** A Markdown link, `<a href>`: live with the data's URL, else its text and the URL as code. */
function link(label: string, url: string, allowed: AllowedLinks): string {
  const text = label.replaceAll('**', '').trim();
  const target = allowedUrl(url.trim(), allowed);
  if (target) {
    const shown = text === '' || linkTokens(text).length > 0 ? target : text;
    return `<a href="${escapeHtml(target)}">${escapeHtml(shown)}</a>`;
  }
  const described = plain(text, allowed);
  if (url.trim() === '') return described;
  return described === ''
    ? code(clipped(url.trim()))
    : `${described} (${code(clipped(url.trim()))})`;
}

/** An image: never a link; what it showed and where from, as text. */
function image(alt: string, url: string, allowed: AllowedLinks): string {
  const described = plain(alt.replaceAll('**', '').trim(), allowed);
  const source = url.trim() === '' ? '' : code(clipped(url.trim()));
  return [described === '' ? 'image' : `image: ${described}`, source].filter(Boolean).join(' ');
}

type Piece = { kind: 'plain'; text: string } | { kind: 'html'; html: string };

function atomHtml(groups: Record<string, string | undefined>, allowed: AllowedLinks): string {
  if (groups.code !== undefined) return code(groups.code);
  if (groups.imageUrl !== undefined) return image(groups.imageAlt ?? '', groups.imageUrl, allowed);
  if (groups.linkUrl !== undefined) return link(groups.linkText ?? '', groups.linkUrl, allowed);
  if (groups.anchorUrl !== undefined) {
    return link(groups.anchorText ?? '', groups.anchorUrl, allowed);
  }
  return image('', groups.imgSrc ?? '', allowed);
}

function pieces(line: string, allowed: AllowedLinks): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const match of line.matchAll(ATOMS)) {
    if (match.index > at) out.push({ kind: 'plain', text: line.slice(at, match.index) });
    out.push({ kind: 'html', html: atomHtml(match.groups ?? {}, allowed) });
    at = match.index + match[0].length;
  }
  if (at < line.length) out.push({ kind: 'plain', text: line.slice(at) });
  return out;
}

/** One line: atoms rendered whole, `**` pairs of the plain text as bold, the rest escaped. */
function inline(line: string, allowed: AllowedLinks): string {
  const parts = pieces(line, allowed);
  const markers = parts.reduce(
    (n, p) => n + (p.kind === 'plain' ? p.text.split('**').length - 1 : 0),
    0,
  );
  // An unpaired last marker stays as it was written.
  let toggles = markers - (markers % 2);
  let bold = false;
  let out = '';
  for (const part of parts) {
    if (part.kind === 'html') {
      out += part.html;
      continue;
    }
    const chunks = part.text.split('**');
    chunks.forEach((chunk, i) => {
      if (i > 0) {
        if (toggles > 0) {
          out += bold ? '</b>' : '<b>';
          bold = !bold;
          toggles -= 1;
        } else out += '**';
      }
      out += plain(chunk, allowed);
    });
  }
  return bold ? `${out}</b>` : out;
}

function blockLine(line: string, allowed: AllowedLinks): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const text = (heading[1] ?? '').replaceAll('**', '');
    return text === '' ? '' : `<b>${inline(text, allowed)}</b>`;
  }
  const item = /^(\s*)[-*+•]\s+(.*)$/.exec(line);
  if (item) return `${item[1] ?? ''}• ${inline(item[2] ?? '', allowed)}`;
  return inline(line, allowed);
}

/** The answer without reasoning blocks; an unclosed one hides everything after it. */
function withoutReasoning(text: string): string {
  return text.replace(/<think>[\s\S]*?(?:<\/think>|$)/gi, '');
}

/** The model's answer as Telegram HTML (see the module comment for what stays a link). */
export function replyHtml(text: string, allowed: AllowedLinks): string {
  const lines = neutralise(withoutReasoning(text)).split('\n');
  const out: string[] = [];
  let fence: string[] | null = null;
  for (const line of lines) {
    if (/^\s*```/.test(line)) {
      if (fence === null) fence = [];
      else {
        out.push(`<pre>${escapeHtml(fence.join('\n'))}</pre>`);
        fence = null;
      }
      continue;
    }
    if (fence !== null) fence.push(line);
    else out.push(blockLine(line, allowed));
  }
  if (fence !== null) out.push(`<pre>${escapeHtml(fence.join('\n'))}</pre>`);
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
