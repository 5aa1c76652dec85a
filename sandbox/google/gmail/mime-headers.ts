/**
 * Message and part headers: splitting a header block into `{name, value}` pairs (folded
 * lines joined, values kept as written), and structured header parameters
 * (`type/subtype; name="value"`) including RFC 2231 continuations and charsets
 * (`filename*0*=utf-8''...`).
 */
import { decodeCharset, decodeUtf8OrLatin1 } from './charset.ts';

export interface MimeHeader {
  name: string;
  value: string;
}

export interface StructuredValue {
  /** The value before the first `;`, lower-cased (`text/plain`, `attachment`). */
  value: string;
  /** Parameters by lower-cased name, continuations joined and RFC 2231 decoded. */
  params: Record<string, string>;
}

/** Parses a raw header block (the bytes before the first empty line). */
export function parseHeaderBlock(block: Uint8Array): MimeHeader[] {
  const text = decodeUtf8OrLatin1(block);
  const headers: MimeHeader[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1) });
  }
  for (const header of headers) header.value = header.value.trim();
  return headers;
}

/** The first header with that name (case-insensitive), or undefined. */
export function headerValue(headers: readonly MimeHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((header) => header.name.toLowerCase() === lower)?.value;
}

/** Splits on `;` outside quoted strings and comments. */
function splitParams(input: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === '\\' && quoted) {
      current += ch + (input[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return trimmed;
}

function percentDecode(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(value.charCodeAt(i) & 0xff);
  }
  return decodeCharset(Buffer.from(bytes), charset || 'utf-8');
}

interface Segment {
  index: number;
  encoded: boolean;
  value: string;
}

/** Parses `value; a=b; c*=utf-8''x%20y; d*0="p"; d*1="q"` into a StructuredValue. */
export function parseStructured(input: string | undefined): StructuredValue {
  const [head = '', ...rest] = splitParams(input ?? '');
  const params: Record<string, string> = {};
  const continued = new Map<string, Segment[]>();
  for (const raw of rest) {
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    const key = raw.slice(0, eq).trim().toLowerCase();
    const value = raw.slice(eq + 1);
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!match) continue;
    const [, name = '', index, star] = match;
    if (index === undefined && !star) {
      params[name] = unquote(value);
      continue;
    }
    const segments = continued.get(name) ?? [];
    segments.push({ index: Number(index ?? 0), encoded: star === '*', value: unquote(value) });
    continued.set(name, segments);
  }
  for (const [name, segments] of continued) {
    segments.sort((a, b) => a.index - b.index);
    let charset = '';
    let text = '';
    for (const segment of segments) {
      let value = segment.value;
      if (segment.encoded && segment.index === 0) {
        const parts = /^([^']*)'[^']*'(.*)$/.exec(value);
        if (parts) {
          charset = parts[1] ?? '';
          value = parts[2] ?? '';
        }
      }
      text += segment.encoded ? percentDecode(value, charset) : value;
    }
    params[name] = text;
  }
  return { value: head.trim().toLowerCase(), params };
}
