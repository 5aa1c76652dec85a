/**
 * A small multipart/form-data reader for Bot API calls. Telegram accepts every method's
 * parameters as multipart (grammY switches to it when a file is attached): text fields
 * become string parameters, file parts are kept as `{filename, size}` descriptions.
 */

export interface UploadedFile {
  filename: string;
  size: number;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, if any. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2])?.trim() : undefined;
}

/** Parses a multipart body into fields; throws on a body that is not multipart at all. */
export function parseMultipart(
  body: Buffer,
  boundary: string,
): Record<string, string | UploadedFile> {
  const fields: Record<string, string | UploadedFile> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw new Error('multipart boundary not found');
  while (position >= 0) {
    let start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2 >= start ? next - 2 : next);
    readPart(part, fields);
    position = next;
  }
  return fields;
}

function readPart(part: Buffer, fields: Record<string, string | UploadedFile>): void {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd < 0) return;
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const content = part.subarray(headerEnd + 4);
  const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
  const name = /\bname="?([^";]+)"?/i.exec(disposition)?.[1];
  if (!name) return;
  const filename = /\bfilename="?([^";]+)"?/i.exec(disposition)?.[1];
  fields[name] =
    filename === undefined ? content.toString('utf8') : { filename, size: content.length };
}
