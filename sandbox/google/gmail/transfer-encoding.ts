/**
 * Content-Transfer-Encoding decoders (RFC 2045): base64 and quoted-printable. 7bit, 8bit
 * and binary bodies are returned as they are. Decoders are lenient like mail clients:
 * stray characters in base64 are skipped, malformed `=` escapes in quoted-printable kept.
 */

/** Decodes a quoted-printable byte sequence (soft line breaks removed). */
export function decodeQuotedPrintable(input: Uint8Array): Buffer {
  const out = Buffer.alloc(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte !== 0x3d) {
      out[length++] = byte;
      continue;
    }
    const next = input[i + 1];
    if (next === 0x0d && input[i + 2] === 0x0a) {
      i += 2;
      continue;
    }
    if (next === 0x0a) {
      i += 1;
      continue;
    }
    const hex = String.fromCharCode(next ?? 0, input[i + 2] ?? 0);
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out[length++] = Number.parseInt(hex, 16);
      i += 2;
      continue;
    }
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** Decodes base64 text, ignoring line breaks and any non-alphabet character. */
export function decodeBase64(input: Uint8Array): Buffer {
  const text = Buffer.from(input)
    .toString('latin1')
    .replace(/[^A-Za-z0-9+/]/g, '');
  return Buffer.from(text, 'base64');
}

/** Applies the named transfer encoding (case-insensitive); unknown ones pass through. */
export function decodeTransferEncoding(body: Uint8Array, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      return decodeBase64(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body);
  }
}
