/**
 * A small MIME parser (RFC 2045/2046/5322) for the sandbox's stored mail: splits a raw
 * message into a tree of parts with headers as written, the declared type, charset and
 * filename, and each leaf's body after transfer decoding (still in its declared charset).
 * Nested multiparts are followed; a malformed message still yields a best-effort tree.
 */
import { decodeEncodedWords } from './encoded-words.ts';
import { headerValue, type MimeHeader, parseHeaderBlock, parseStructured } from './mime-headers.ts';
import { decodeTransferEncoding } from './transfer-encoding.ts';

export interface MimePart {
  headers: MimeHeader[];
  /** Lower-cased `type/subtype`. */
  mimeType: string;
  /** Content-Type parameters (charset, boundary, name…). */
  params: Record<string, string>;
  /** `attachment`, `inline` or '' when there is no Content-Disposition. */
  disposition: string;
  /** Decoded filename ('' when none). */
  filename: string;
  /** Leaf bytes after transfer decoding; empty for multiparts. */
  body: Buffer;
  parts: MimePart[];
}

const MAX_DEPTH = 20;

/** Finds the end of the header block: returns [headerEnd, bodyStart]. */
function splitHead(raw: Buffer): [number, number] {
  if (raw[0] === 0x0a) return [0, 1];
  if (raw[0] === 0x0d && raw[1] === 0x0a) return [0, 2];
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return [crlf, crlf + 4];
  if (lf >= 0) return [lf, lf + 2];
  return [raw.length, raw.length];
}

/** Splits a multipart body into its parts' raw bytes (preamble and epilogue dropped). */
export function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let start = -1;
  let position = 0;
  while (position <= body.length) {
    const found = body.indexOf(delimiter, position);
    if (found < 0) break;
    const atLineStart = found === 0 || body[found - 1] === 0x0a;
    const after = found + delimiter.length;
    if (!atLineStart) {
      position = after;
      continue;
    }
    if (start >= 0) {
      let end = found - 1;
      if (end > start && body[end - 1] === 0x0d) end--;
      parts.push(body.subarray(start, Math.max(start, end)));
    }
    const closing = body[after] === 0x2d && body[after + 1] === 0x2d;
    if (closing) return parts;
    const lineEnd = body.indexOf(0x0a, after);
    if (lineEnd < 0) return parts;
    start = lineEnd + 1;
    position = start;
  }
  if (start >= 0 && start < body.length) parts.push(body.subarray(start));
  return parts;
}

function parsePart(raw: Buffer, defaultType: string, depth: number): MimePart {
  const [headEnd, bodyStart] = splitHead(raw);
  const headers = parseHeaderBlock(raw.subarray(0, headEnd));
  const contentType = parseStructured(headerValue(headers, 'content-type'));
  const mimeType = /^[^/\s]+\/[^/\s]+$/.test(contentType.value) ? contentType.value : defaultType;
  const disposition = parseStructured(headerValue(headers, 'content-disposition'));
  const rawName = disposition.params.filename ?? contentType.params.name ?? '';
  const body = raw.subarray(bodyStart);
  const part: MimePart = {
    headers,
    mimeType,
    params: contentType.params,
    disposition: disposition.value,
    filename: decodeEncodedWords(rawName),
    body: Buffer.alloc(0),
    parts: [],
  };
  const boundary = contentType.params.boundary;
  if (mimeType.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const childType = mimeType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    part.parts = splitMultipart(body, boundary).map((child) =>
      parsePart(child, childType, depth + 1),
    );
    return part;
  }
  part.body = decodeTransferEncoding(body, headerValue(headers, 'content-transfer-encoding'));
  return part;
}

/** Parses a whole RFC 822 message into its part tree. */
export function parseMime(raw: Buffer): MimePart {
  return parsePart(raw, 'text/plain', 0);
}

/** Every leaf part, depth first, in document order. */
export function leafParts(part: MimePart): MimePart[] {
  if (part.parts.length === 0) return part.mimeType.startsWith('multipart/') ? [] : [part];
  return part.parts.flatMap(leafParts);
}
