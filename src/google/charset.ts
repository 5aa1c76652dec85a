/**
 * Bytes in a declared charset → string. Mail declares charsets loosely (`us-ascii` that
 * is really UTF-8, `iso-8859-1` that is really Windows-1252, unknown names); this picks
 * what real clients pick. iconv-lite decodes most charsets; the stateful ones it lacks
 * (ISO-2022-JP, still common in Japanese mail, and ISO-2022-KR) go to Node's
 * `TextDecoder`, which has the WHATWG decoders with full ICU. Unknown names fall back to
 * UTF-8.
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

/** Which decoder a charset goes to, and the name it knows it by. */
export type Decoder = { kind: 'iconv' | 'text-decoder'; name: string };

function textDecoderKnows(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** Picks the decoder for a charset label: iconv-lite, else TextDecoder, else UTF-8. */
export function decoderFor(label: string | null | undefined): Decoder {
  const name = (label ?? '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (name === '') return { kind: 'iconv', name: 'utf-8' };
  const aliased = ALIASES[name] ?? name;
  if (iconv.encodingExists(aliased)) return { kind: 'iconv', name: aliased };
  if (textDecoderKnows(aliased)) return { kind: 'text-decoder', name: aliased };
  return { kind: 'iconv', name: 'utf-8' };
}

/** Decodes bytes in the given charset (UTF-8 when unknown), dropping a BOM. */
export function decodeBytes(bytes: Uint8Array, charset: string | null | undefined): string {
  const decoder = decoderFor(charset);
  if (decoder.kind === 'text-decoder') return new TextDecoder(decoder.name).decode(bytes);
  return iconv.decode(Buffer.from(bytes), decoder.name);
}

/** Gmail's `body.data`: base64url (padding optional) of the part's bytes. */
export function base64UrlToBytes(data: string): Uint8Array {
  return new Uint8Array(Buffer.from(data.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
