/**
 * What counts as a link in a model's answer, and which links the answer may keep. Telegram
 * turns URLs, bare domains (`evil.example/x`), e-mail addresses and `/commands` in a
 * message into tappable entities by itself, so every token it could link is found here
 * (scheme URLs of any scheme, `hxxp` spellings, `www.` names, bare domains with Unicode or
 * punycode labels and ideographic dots, addresses), and only the exact http(s) URLs and
 * addresses that the user's own data returned in this answer may stay live.
 */

/** Dots Telegram and browsers accept between labels: `.` and the ideographic and fullwidth ones. */
const DOT = '[.\\u3002\\uFF0E\\uFF61]';
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\p{M}_-]{0,62}[\\p{L}\\p{N}\\p{M}])?';
/** A top-level label: letters (any script) or an IDNA A-label. */
const TOP = '(?:xn--[a-z0-9-]{1,59}|\\p{L}[\\p{L}\\p{M}]{1,62})';
const HOST = `(?:${LABEL}${DOT})+${TOP}`;
/**
 * What may follow a host: a port, then a path, query or fragment up to white space. An
 * apostrophe stays inside (`…/Maya's%20game`): cut there, the rest of a URL would be left
 * as plain text for Telegram to link on its own.
 */
const REST = '(?::\\d{1,5})?(?:[/?#][^\\s<>"`]*)?';
/** A URL with any scheme (`https://…`, `hxxps://…`, `ftp://…`) up to white space. */
const SCHEME_URL = '[a-z][a-z0-9+.-]{0,15}://[^\\s<>"`]+';
const EMAIL = `[\\p{L}\\p{N}._%+-]+@${HOST}`;
/** A bot command Telegram would make tappable: tapping it sends the command to the bot. */
const COMMAND =
  '(?<![\\p{L}\\p{N}_/.<])/[a-z][a-z0-9_]{1,31}(?:@[a-z0-9_]{3,32})?(?![\\p{L}\\p{N}/])';

/**
 * Every link-like token: scheme URLs first (so an address inside a URL stays part of it),
 * then addresses, then bare hosts, then commands. A bare host must not continue a word or
 * an address (`a@b.example` is matched as a whole by the address branch).
 */
const LINK_LIKE = new RegExp(
  `(?<url>${SCHEME_URL})|(?<email>${EMAIL})|(?<![\\p{L}\\p{N}@._%+-])(?<host>${HOST}${REST})|(?<command>${COMMAND})`,
  'giu',
);

export type LinkKind = 'url' | 'email' | 'host' | 'command';

export interface LinkToken {
  kind: LinkKind;
  text: string;
  index: number;
}

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = new Set([...'.,;:!?\'"»”’)]}*_~']);
const OPENING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** A URL without the punctuation after it, keeping a bracket the URL opened (`…/Foo_(bar)`). */
export function trimTrailing(token: string): string {
  let text = token;
  while (text.length > 0 && TRAILING.has(text.at(-1) ?? '')) {
    const last = text.at(-1) ?? '';
    const open = OPENING[last];
    if (open !== undefined && count(text, open) >= count(text, last)) break;
    text = text.slice(0, -1);
  }
  return text;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** The link-like tokens of a piece of plain text, trailing punctuation left out. */
export function linkTokens(text: string): LinkToken[] {
  const tokens: LinkToken[] = [];
  for (const match of text.matchAll(LINK_LIKE)) {
    const groups = match.groups ?? {};
    const kind: LinkKind = groups.url
      ? 'url'
      : groups.email
        ? 'email'
        : groups.host
          ? 'host'
          : 'command';
    const raw = match[0];
    const trimmed = kind === 'command' ? raw : trimTrailing(raw);
    if (trimmed.length > 0) tokens.push({ kind, text: trimmed, index: match.index });
  }
  return tokens;
}

/** An http(s) URL as written, if it is one (no white space, parses, right scheme). */
export function httpUrl(text: string): string | null {
  if (!/^https?:\/\/\S+$/i.test(text) || !URL.canParse(text)) return null;
  const protocol = new URL(text).protocol;
  return protocol === 'http:' || protocol === 'https:' ? text : null;
}

/** What the data of this answer allows the reply to link to: exact URLs and addresses. */
export interface AllowedLinks {
  urls: Set<string>;
  emails: Set<string>;
}

export function emptyAllowedLinks(): AllowedLinks {
  return { urls: new Set(), emails: new Set() };
}

/** Adds every http(s) URL and address found in the strings of a tool's result. */
export function collectLinks(value: unknown, into: AllowedLinks, depth = 0): void {
  if (depth > 12) return;
  if (typeof value === 'string') {
    for (const token of linkTokens(value)) {
      if (token.kind === 'url' && httpUrl(token.text)) into.urls.add(token.text);
      if (token.kind === 'email') into.emails.add(token.text.toLowerCase());
    }
    // A field that is exactly a URL (a message or event link) counts whole.
    const whole = httpUrl(value.trim());
    if (whole) into.urls.add(whole);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectLinks(item, into, depth + 1);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectLinks(item, into, depth + 1);
  }
}
