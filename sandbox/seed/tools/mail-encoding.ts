/**
 * Encoders for writing seed mail with exact bytes: quoted-printable and base64 bodies,
 * RFC 2047 encoded words in any charset (via iconv-lite), and two tiny but valid binary
 * attachments — a one-page PDF with text lines and a PNG gradient.
 */
import { crc32, deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';

/** Text in the given charset as bytes. */
export function encodeText(text: string, charset: string): Buffer {
  return charset.toLowerCase() === 'utf-8' ? Buffer.from(text) : iconv.encode(text, charset);
}

/** Quoted-printable with soft line breaks at 76 columns; keeps line breaks as CRLF. */
export function quotedPrintable(bytes: Buffer): string {
  const lines = bytes.toString('latin1').split(/\r?\n/);
  return lines
    .map((line) => {
      let out = '';
      let column = 0;
      for (let i = 0; i < line.length; i++) {
        const code = line.charCodeAt(i);
        const last = i === line.length - 1;
        const plain =
          (code >= 33 && code <= 126 && code !== 61) || (code === 32 && !last) || code === 9;
        const piece = plain ? line[i]! : `=${code.toString(16).toUpperCase().padStart(2, '0')}`;
        if (column + piece.length > 75) {
          out += '=\r\n';
          column = 0;
        }
        out += piece;
        column += piece.length;
      }
      return out;
    })
    .join('\r\n');
}

/** Base64 in 76-character lines. */
export function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** One RFC 2047 encoded word (`Q` or `B`) for `text` in `charset`. */
export function encodedWord(text: string, charset: string, encoding: 'Q' | 'B'): string {
  const bytes = encodeText(text, charset);
  if (encoding === 'B') return `=?${charset}?B?${bytes.toString('base64')}?=`;
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x20) out += '_';
    else if (/[A-Za-z0-9!*+\-/]/.test(String.fromCharCode(byte))) out += String.fromCharCode(byte);
    else out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `=?${charset}?Q?${out}?=`;
}

/** A one-page A4 PDF showing `lines` in Helvetica, with a correct xref table. */
export function buildPdf(lines: string[]): Buffer {
  const escapePdf = (text: string) => text.replace(/[\\()]/g, '\\$&');
  const stream = [
    'BT /F1 11 Tf 14 TL 56 780 Td',
    ...lines.map((line) => `(${escapePdf(line)}) '`),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ' +
      '/Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An RGB PNG of `width`×`height` with a diagonal gradient between two colours. */
export function buildPng(width: number, height: number, from: number[], to: number[]): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height - 2);
      for (let c = 0; c < 3; c++) {
        row[1 + x * 3 + c] = Math.round(from[c]! + (to[c]! - from[c]!) * t);
      }
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
