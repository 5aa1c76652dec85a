/**
 * The wire format of Google's batch endpoint: a `multipart/mixed` body whose parts are
 * `application/http` requests, and the matching multipart response with one
 * `application/http` part per call, each `Content-ID: <response-…>`.
 */
import { STATUS_CODES } from 'node:http';
import { headerValue, parseHeaderBlock } from './mime-headers.ts';
import { splitMultipart } from './mime-parser.ts';

export interface BatchCall {
  /** The request part's Content-ID without angle brackets ('' when absent). */
  contentId: string;
  method: string;
  /** Path and query, origin removed. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface BatchAnswer {
  contentId: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function splitAtBlankLine(raw: Buffer): [Buffer, Buffer] {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return [raw.subarray(0, crlf), raw.subarray(crlf + 4)];
  if (lf >= 0) return [raw.subarray(0, lf), raw.subarray(lf + 2)];
  return [raw, Buffer.alloc(0)];
}

/** Parses one `application/http` part; undefined when its request line is unreadable. */
function parseCall(raw: Buffer): BatchCall | undefined {
  const [partHead, http] = splitAtBlankLine(raw);
  const partHeaders = parseHeaderBlock(partHead);
  const contentId = (headerValue(partHeaders, 'content-id') ?? '').replace(/^<|>$/g, '');
  const trimmed = http.subarray(http.findIndex((byte) => byte !== 0x0d && byte !== 0x0a));
  const [head, body] = splitAtBlankLine(trimmed);
  const [requestLine = '', ...headerLines] = head.toString('utf8').split(/\r?\n/);
  const match = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/.exec(requestLine.trim());
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const header of parseHeaderBlock(Buffer.from(headerLines.join('\r\n')))) {
    headers[header.name.toLowerCase()] = header.value;
  }
  const url = match[2]!.replace(/^https?:\/\/[^/]+/i, '');
  return { contentId, method: match[1]!, url, headers, body: Buffer.from(body) };
}

/** The calls of a batch body, in order; a part that is not a request is `undefined`. */
export function parseBatch(body: Buffer, boundary: string): (BatchCall | undefined)[] {
  return splitMultipart(body, boundary).map(parseCall);
}

/** Builds the multipart response body for `answers` with the given boundary. */
export function formatBatch(answers: readonly BatchAnswer[], boundary: string): string {
  let out = '';
  for (const answer of answers) {
    out += `--${boundary}\r\nContent-Type: application/http\r\n`;
    if (answer.contentId !== '') out += `Content-ID: <response-${answer.contentId}>\r\n`;
    out += `\r\nHTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n`;
    for (const [name, value] of Object.entries(answer.headers)) out += `${name}: ${value}\r\n`;
    out += `\r\n${answer.body}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}
