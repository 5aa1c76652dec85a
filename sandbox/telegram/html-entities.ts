/**
 * Telegram's HTML parse mode: turns the HTML a bot sends into plain text plus message
 * entities (offsets in UTF-16 code units), or fails the way Telegram does with
 * "Bad Request: can't parse entities: …".
 *
 * Supported tags: b strong i em u ins s strike del code pre a(href) blockquote
 * (expandable) tg-spoiler span.tg-spoiler; `<pre><code class="language-x">` sets the
 * block's language. Entities: `&lt; &gt; &amp; &quot;` and numeric ones. Stricter than
 * Telegram on one point, so the product's escaping bugs show up here: a `&` or `>` that is
 * not part of a tag or an entity is refused instead of being taken literally.
 */
import { badRequest } from './bot-api-error.ts';
import type { TgMessageEntity } from './types.ts';

export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

interface OpenTag {
  name: string;
  offset: number;
  attributes: Map<string, string>;
  language?: string;
}

const SIMPLE_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  code: 'code',
  pre: 'pre',
};
const SUPPORTED = new Set([...Object.keys(SIMPLE_TAGS), 'a', 'blockquote']);
const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|(lt|gt|amp|quot));/y;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const LINK_SCHEMES = new Set(['http:', 'https:', 'tg:', 'mailto:', 'ftp:']);

/** Parses Telegram HTML; throws a 400 BotApiError on malformed or unsupported markup. */
export function parseHtml(html: string): FormattedText {
  const fail = (detail: string, index?: number): never => {
    const at =
      index === undefined ? '' : ` at byte offset ${Buffer.byteLength(html.slice(0, index))}`;
    throw badRequest(`can't parse entities: ${detail}${at}`);
  };
  const decodeAt = (index: number): [string, number] => {
    ENTITY.lastIndex = index;
    const match = ENTITY.exec(html);
    if (!match) return fail('Character "&" must be escaped as "&amp;"', index);
    const [whole, decimal, hex, named] = match;
    if (named) return [NAMED[named.toLowerCase()] ?? '', whole.length];
    const code = decimal ? Number(decimal) : Number.parseInt(hex ?? '', 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return fail('Invalid character entity', index);
    }
    return [String.fromCodePoint(code), whole.length];
  };

  let text = '';
  const entities: TgMessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '&') {
      const [decoded, length] = decodeAt(i);
      text += decoded;
      i += length;
      continue;
    }
    if (ch === '>') fail('Character ">" must be escaped as "&gt;"', i);
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const begin = i;
    if (html[i + 1] === '/') {
      const close = html.indexOf('>', i);
      if (close < 0) fail('Unclosed end tag', begin);
      const name = html
        .slice(i + 2, close)
        .trim()
        .toLowerCase();
      const open = stack.pop();
      if (!open) return fail('Unexpected end tag', begin);
      if (open.name !== name) {
        fail(
          `Unmatched end tag${atByte(html, begin)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      closeTag(open, text.length, stack, entities);
      i = close + 1;
      continue;
    }
    let j = i + 1;
    while (j < html.length && /[A-Za-z0-9-]/.test(html[j] ?? '')) j += 1;
    const name = html.slice(i + 1, j).toLowerCase();
    if (!name) fail('Character "<" must be escaped as "&lt;"', begin);
    if (!SUPPORTED.has(name)) fail(`Unsupported start tag "${name}"`, begin);
    const attributes = new Map<string, string>();
    for (;;) {
      while (j < html.length && /\s/.test(html[j] ?? '')) j += 1;
      if (j >= html.length) fail('Unclosed start tag', begin);
      if (html[j] === '>') break;
      const nameStart = j;
      while (j < html.length && /[A-Za-z0-9_-]/.test(html[j] ?? '')) j += 1;
      const attribute = html.slice(nameStart, j).toLowerCase();
      if (!attribute) fail(`Empty attribute name in the tag "${name}"`, begin);
      while (j < html.length && /\s/.test(html[j] ?? '')) j += 1;
      if (html[j] !== '=') {
        attributes.set(attribute, '');
        continue;
      }
      j += 1;
      while (j < html.length && /\s/.test(html[j] ?? '')) j += 1;
      const quote = html[j];
      let value = '';
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, j + 1);
        if (end < 0) fail('Unclosed start tag', begin);
        value = decodeAttribute(html.slice(j + 1, end), j + 1, decodeAt);
        j = end + 1;
      } else {
        const start = j;
        while (j < html.length && !/[\s>]/.test(html[j] ?? '')) j += 1;
        value = decodeAttribute(html.slice(start, j), start, decodeAt);
      }
      attributes.set(attribute, value);
    }
    if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
      fail('Tag "span" must have class "tg-spoiler"', begin);
    }
    stack.push({ name, offset: text.length, attributes });
    i = j + 1;
  }
  const unclosed = stack.at(-1);
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

function atByte(html: string, index: number): string {
  return ` at byte offset ${Buffer.byteLength(html.slice(0, index))}`;
}

function decodeAttribute(
  raw: string,
  start: number,
  decodeAt: (index: number) => [string, number],
): string {
  let value = '';
  for (let k = 0; k < raw.length; ) {
    if (raw[k] === '&') {
      const [decoded, length] = decodeAt(start + k);
      value += decoded;
      k += length;
    } else {
      value += raw[k];
      k += 1;
    }
  }
  return value;
}

function closeTag(open: OpenTag, end: number, stack: OpenTag[], entities: TgMessageEntity[]): void {
  const length = end - open.offset;
  const parent = stack.at(-1);
  if (open.name === 'code' && parent?.name === 'pre') {
    const language = /^language-(.+)$/.exec(open.attributes.get('class') ?? '')?.[1];
    if (language) parent.language = language;
    return;
  }
  if (length <= 0) return;
  const entity: TgMessageEntity = { type: '', offset: open.offset, length };
  if (open.name === 'a') {
    const url = validLink(open.attributes.get('href'));
    if (!url) return;
    entity.type = 'text_link';
    entity.url = url;
  } else if (open.name === 'blockquote') {
    entity.type = open.attributes.has('expandable') ? 'expandable_blockquote' : 'blockquote';
  } else {
    entity.type = SIMPLE_TAGS[open.name] ?? open.name;
    if (open.name === 'pre' && open.language) entity.language = open.language;
  }
  entities.push(entity);
}

function validLink(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return LINK_SCHEMES.has(url.protocol) ? href : undefined;
  } catch {
    return undefined;
  }
}

/** Telegram's order: by offset, the enclosing (longer) entity first. */
export function sortEntities(entities: TgMessageEntity[]): TgMessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}
