/**
 * RFC 2047 encoded words (`=?charset?Q?...?=`, `=?charset?B?...?=`) in header values.
 * Adjacent encoded words separated only by whitespace are joined, and consecutive words in
 * the same charset are decoded together so a multi-byte character split across two words
 * survives. Used for searching and for attachment filenames; headers themselves are served
 * as written.
 */
import { decodeCharset } from './charset.ts';

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([QqBb])\?([^?\s]*)\?=/g;

interface Piece {
  kind: 'text' | 'word';
  text: string;
  charset: string;
  bytes: Buffer;
}

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

function split(value: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const start = match.index;
    if (start > last) {
      pieces.push({
        kind: 'text',
        text: value.slice(last, start),
        charset: '',
        bytes: Buffer.alloc(0),
      });
    }
    pieces.push({
      kind: 'word',
      text: match[0],
      charset: match[1]!.toLowerCase(),
      bytes: wordBytes(match[2]!, match[3]!),
    });
    last = start + match[0].length;
  }
  if (last < value.length) {
    pieces.push({ kind: 'text', text: value.slice(last), charset: '', bytes: Buffer.alloc(0) });
  }
  return pieces;
}

/** Decodes every encoded word in a header value; other text is kept as it is. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  const pieces = split(value).filter(
    (piece, index, all) =>
      !(
        piece.kind === 'text' &&
        /^\s+$/.test(piece.text) &&
        all[index - 1]?.kind === 'word' &&
        all[index + 1]?.kind === 'word'
      ),
  );
  let out = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece.kind === 'text') {
      out += piece.text;
      continue;
    }
    const run = [piece.bytes];
    while (pieces[i + 1]?.kind === 'word' && pieces[i + 1]!.charset === piece.charset) {
      run.push(pieces[i + 1]!.bytes);
      i++;
    }
    out += decodeCharset(Buffer.concat(run), piece.charset);
  }
  return out;
}
