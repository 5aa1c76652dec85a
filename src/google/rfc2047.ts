/**
 * RFC 2047 encoded words in headers (`=?ISO-8859-1?Q?Caf=E9?=`, `=?UTF-8?B?…?=`), in any
 * charset iconv-lite knows. Adjacent encoded words are joined without the whitespace
 * between them, and their bytes are joined before decoding so a multi-byte character
 * split across two words survives.
 */
import { decodeBytes } from './charset.ts';

const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, text: string): Uint8Array {
  if (encoding.toUpperCase() === 'B') return new Uint8Array(Buffer.from(text, 'base64'));
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return new Uint8Array(bytes);
}

type Token = { kind: 'text'; text: string } | { kind: 'word'; charset: string; bytes: number[] };

function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ kind: 'text', text: value.slice(last, index) });
    const charset = (match[1] ?? '').split('*')[0] ?? '';
    tokens.push({ kind: 'word', charset, bytes: [...wordBytes(match[2] ?? 'Q', match[3] ?? '')] });
    last = index + match[0].length;
  }
  if (last < value.length) tokens.push({ kind: 'text', text: value.slice(last) });
  return tokens;
}

/** Decodes every encoded word in a header value; other text is kept as is. */
export function decodeHeaderValue(value: string): string {
  const tokens = tokenize(value);
  const merged: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const prev = merged[merged.length - 1];
    const next = tokens[i + 1];
    if (
      token.kind === 'text' &&
      /^\s*$/.test(token.text) &&
      prev?.kind === 'word' &&
      next?.kind === 'word'
    ) {
      continue;
    }
    if (
      token.kind === 'word' &&
      prev?.kind === 'word' &&
      prev.charset.toLowerCase() === token.charset.toLowerCase()
    ) {
      prev.bytes.push(...token.bytes);
      continue;
    }
    merged.push(token.kind === 'word' ? { ...token, bytes: [...token.bytes] } : token);
  }
  return merged
    .map((token) =>
      token.kind === 'text' ? token.text : decodeBytes(new Uint8Array(token.bytes), token.charset),
    )
    .join('');
}
