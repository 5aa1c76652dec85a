/**
 * Address headers (`From`, `To`, `Cc`) → `{name, email}` list. Handles quoted display
 * names with commas, bare addresses, comments, group syntax, folded lines and encoded
 * words in names.
 *
 * Headers are untrusted, so a mailbox is read by its structure, never by guessing: the
 * address is the one angle address (or the one bare address) and must be a plain
 * `local@domain`; a mailbox that is ambiguous — unbalanced quotes, brackets or comments,
 * two addresses without a comma, text after the address, a line break that starts
 * another header — yields no address rather than a wrong one. A display name that itself
 * looks like an address (`"security@bank.com" <evil@x.example>`, also once its encoded
 * words are decoded) is dropped, so the real address is what shows.
 */
import { decodeHeaderValue } from './rfc2047.ts';

export interface Address {
  name: string | null;
  email: string;
}

/** Splits on commas that are outside quotes, angle brackets and comments. */
function splitAddresses(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\' && (quoted || comment > 0)) {
      current += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    else if (!quoted && ch === '(') comment++;
    else if (!quoted && ch === ')') comment = Math.max(0, comment - 1);
    if (!quoted && angle === 0 && comment === 0 && (ch === ',' || ch === ';')) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

type Token =
  | { kind: 'word' | 'quoted' | 'comment' | 'angle'; text: string }
  /** Unbalanced quotes, brackets or comments, or an angle bracket inside an address. */
  | { kind: 'broken' };

const BROKEN: Token = { kind: 'broken' };
const SPECIAL = /[\s"(<>]/;
const ENCODED_WORD = /=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=/y;

/** The end of a quoted string or comment starting at `start` (after its opener), or -1. */
function closing(text: string, start: number, open: string, close: string): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === close && --depth === 0) return i;
    else if (ch === open && open !== close) depth++;
  }
  return -1;
}

function unquote(text: string): string {
  return text.replace(/\\(.)/gs, '$1');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === '(') {
      const end = closing(text, i + 1, ch, ch === '"' ? '"' : ')');
      if (end < 0) return [BROKEN];
      tokens.push({ kind: ch === '"' ? 'quoted' : 'comment', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '<') {
      let end = i + 1;
      while (end < text.length && text[end] !== '>' && text[end] !== '<') {
        end = text[end] === '"' ? closing(text, end + 1, '"', '"') + 1 : end + 1;
        if (end === 0) return [BROKEN];
      }
      if (text[end] !== '>') return [BROKEN];
      tokens.push({ kind: 'angle', text: text.slice(i + 1, end).trim() });
      i = end + 1;
    } else if (ch === '>' || ch === ')') {
      return [BROKEN];
    } else {
      // An encoded word is one atom, whatever it holds (`=?UTF-8?Q?a_<b@c>?=` is not an address).
      ENCODED_WORD.lastIndex = i;
      let end = ENCODED_WORD.exec(text)?.[0].length ?? 0;
      end += i;
      while (end < text.length && !SPECIAL.test(text[end] as string) && text[end] !== ')') end++;
      tokens.push({ kind: 'word', text: text.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

/** Characters an address never holds: space, specials, controls and format characters. */
const PART = String.raw`[^\s"(),:;<>@[\\\]\p{Cc}\p{Cf}]+`;
const EMAIL = new RegExp(
  String.raw`^(?:${PART}|"(?:[^"\\\p{Cc}\p{Cf}]|\\[^\p{Cc}\p{Cf}])*")@${PART}$`,
  'u',
);
/** A name that reads as an address: an at sign (or a look-alike) between two characters. */
const ADDRESS_LIKE = /\S[@\uFF20\uFE6B]\S/u;

function nameOf(parts: string[]): string | null {
  const name = decodeHeaderValue(parts.join(' '))
    .replace(/[ \t\r\n]+/g, ' ')
    .trim();
  if (name === '' || ADDRESS_LIKE.test(name)) return null;
  return name;
}

function textOf(token: Token): string {
  if (token.kind === 'quoted') return unquote(token.text);
  if (token.kind === 'comment') return `(${unquote(token.text)})`;
  return token.kind === 'broken' ? '' : token.text;
}

/**
 * Parses one mailbox (`Name <a@b>`, `a@b (Name)`, `a@b`, folded over lines); null when it
 * holds no address, or no unambiguous one.
 */
export function parseAddress(raw: string): Address | null {
  // A line break not followed by a space or tab ends the header: what follows is another.
  if (/[\r\n](?![ \t])/.test(raw.replace(/\r\n(?=[ \t])/g, ''))) return null;
  const tokens = tokenize(raw.replace(/\r?\n(?=[ \t])/g, ''));
  if (tokens.some((t) => t.kind === 'broken')) return null;
  const angles = tokens.filter((t) => t.kind === 'angle');
  if (angles.length > 1) return null;
  if (angles.length === 1) {
    const at = tokens.findIndex((t) => t.kind === 'angle');
    if (tokens.slice(at + 1).some((t) => t.kind !== 'comment')) return null;
    const email = textOf(tokens[at] as Token);
    if (!EMAIL.test(email)) return null;
    return { name: nameOf(tokens.slice(0, at).map(textOf)), email };
  }
  const words = tokens.filter((t) => t.kind !== 'comment');
  const email = words.length === 1 && words[0]?.kind === 'word' ? words[0].text : '';
  if (!EMAIL.test(email)) return null;
  const comments = tokens.flatMap((t) => (t.kind === 'comment' ? [unquote(t.text)] : []));
  return { name: nameOf(comments), email };
}

/** Parses an address list header; groups (`Team: a@b, c@d;`) are flattened. */
export function parseAddressList(value: string | null | undefined): Address[] {
  if (!value) return [];
  const addresses: Address[] = [];
  for (const part of splitAddresses(value)) {
    const group = /^[^"<@(]*?:(.*)$/s.exec(part);
    const address = parseAddress(group ? (group[1] ?? '') : part);
    if (address) addresses.push(address);
  }
  return addresses;
}
