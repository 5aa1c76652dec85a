/**
 * Bytes in a declared charset → string. Mail declares charsets loosely (`us-ascii` that
 * is really UTF-8, `iso-8859-1` that is really Windows-1252, unknown names); this picks
 * what real clients pick.
 */
import iconv from 'iconv-lite';

const ALIASES: Readonly<Record<string, string>> = {
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  // Browsers and mail clients decode Latin-1 as Windows-1252 (curly quotes, €).
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'ks_c_5601-1987': 'cp949',
  unicode: 'utf-16le',
};

/** Normalises a charset label to one iconv-lite knows, falling back to UTF-8. */
export function normaliseCharset(label: string | null | undefined): string {
  const name = (label ?? '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (name === '') return 'utf-8';
  const aliased = ALIASES[name] ?? name;
  return iconv.encodingExists(aliased) ? aliased : 'utf-8';
}

/** Decodes bytes in the given charset (UTF-8 when unknown), dropping a BOM. */
export function decodeBytes(bytes: Uint8Array, charset: string | null | undefined): string {
  return iconv.decode(Buffer.from(bytes), normaliseCharset(charset));
}

/** Gmail's `body.data`: base64url (padding optional) of the part's bytes. */
export function base64UrlToBytes(data: string): Uint8Array {
  return new Uint8Array(Buffer.from(data.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
