/**
 * Turns bytes in a declared MIME charset into text. Unknown charsets fall back to UTF-8
 * (and to Latin-1 when the bytes are not valid UTF-8), because search over real mail must
 * never fail on a mislabelled part.
 */
import iconv from 'iconv-lite';

const ALIASES: Record<string, string> = {
  'x-sjis': 'shift_jis',
  ms932: 'cp932',
  'unicode-1-1-utf-7': 'utf7',
  'ks_c_5601-1987': 'cp949',
  ascii: 'us-ascii',
  utf8: 'utf-8',
};

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 when valid, else Latin-1 (so every byte maps to a character). */
export function decodeUtf8OrLatin1(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/** Decodes `bytes` as `charset` (case-insensitive, common aliases understood). */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const name = (charset ?? '').trim().toLowerCase().replace(/^"|"$/g, '');
  if (name === '' || name === 'utf-8' || name === 'us-ascii') return decodeUtf8OrLatin1(bytes);
  const canonical = ALIASES[name] ?? name;
  if (canonical === 'utf-8') return decodeUtf8OrLatin1(bytes);
  if (iconv.encodingExists(canonical)) return iconv.decode(Buffer.from(bytes), canonical);
  return decodeUtf8OrLatin1(bytes);
}
