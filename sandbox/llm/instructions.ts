/**
 * What the gullible mode takes for an instruction. Generous, case-insensitive patterns
 * over text whose hidden parts are revealed first (`hidden-text.ts`):
 * - `call`: "call (the tool) NAME with {json}", "use NAME(...)", "invoke function NAME";
 * - `send`: "forward/send (all|everything|this|…) to ADDRESS";
 * - `search`: "search (my mail) for X", "look up X", "find all X";
 * - `calendar`: "check/search my calendar (for …)";
 * - `link`: "include/add this link URL", "click/visit URL" (bare domains too), Markdown
 *   links and images, HTML `<a href>` and `<img src>`; `withData` when the sentence asks
 *   for data, contents, a summary or codes to go with it, or the URL has a `{data}` slot;
 * - `say`: "ignore (all) previous instructions … say/reply/answer: TEXT", "reply with
 *   \"TEXT\"", "your answer must be: TEXT";
 * - `connection`: "use connection C", "use the account ADDRESS", "read the mail of USER",
 *   "ADDRESS's inbox".
 * Instructions come back in the order they appear in the text.
 */
import { revealHidden } from './hidden-text.ts';

interface Base {
  /** The matched text, clipped. */
  source: string;
  /** Offset in the revealed text, for ordering. */
  at: number;
}

type Found =
  | { kind: 'call'; tool: string; args: Record<string, unknown>; positional: string | null }
  | { kind: 'send'; to: string; host: string }
  | { kind: 'search'; query: string }
  | { kind: 'calendar'; when: string }
  | { kind: 'link'; url: string; label: string; image: boolean; withData: boolean }
  | { kind: 'say'; text: string }
  | { kind: 'connection'; connection: string };

export type Instruction = Base & Found;

const URL_CHARS = String.raw`[^\s<>"'\])|]+`;
const ADDRESS = String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`;
const DATA_WORDS =
  /\b(?:data|contents?|summary|summari[sz]e|details|codes?|results?|appended|append|what you (?:found|read|saw)|the (?:mail|e-?mail|message|conversation|inbox)s?|bookings?|subjects?|names|information|info|everything|other|upcoming)\b|[?&]d=|\{\{?\s*data\s*\}?\}|\[data\]|<data>|\$data/i;
const NOT_TOOLS = new Set(['the', 'this', 'that', 'it', 'them', 'me', 'us', 'our', 'your', 'my']);

/** A URL without the punctuation that ends the sentence around it (a `{slot}` is kept). */
function trimUrl(url: string): string {
  const trimmed = url.replace(/[.,;:!?)\]'"]+$/, '');
  const open = trimmed.split('{').length;
  const close = trimmed.split('}').length;
  return close > open ? trimmed.replace(/\}+$/, '') : trimmed;
}

/** The sentence (or line) around an offset. */
function sentenceAt(text: string, at: number, length: number): string {
  const before = text.slice(0, at);
  const start = Math.max(before.lastIndexOf('\n'), before.search(/[.!?]\s[^.!?]*$/)) + 1;
  const rest = text.slice(at + length);
  const end = rest.search(/\n|[.!?](?:\s|$)/);
  return text.slice(start, at + length + (end < 0 ? rest.length : end));
}

/** The balanced `{…}` starting at `start`, strings respected; null when unbalanced. */
export function balancedObject(text: string, start: number): string | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length && i < start + 4000; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth += 1;
    else if (c === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

/** JSON, or the relaxed object literal a person writes (single quotes, bare keys). */
export function looseJson(text: string): Record<string, unknown> | null {
  const attempts = [
    text,
    text.replace(/'/g, '"').replace(/([{,]\s*)([A-Za-z_][\w-]*)\s*:/g, '$1"$2":'),
  ];
  for (const attempt of attempts) {
    try {
      const value: unknown = JSON.parse(attempt);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // try the next reading
    }
  }
  return null;
}

function unquote(value: string): string {
  return value.trim().replace(/^["'`“]|["'`”]$/g, '');
}

/** `(…)` arguments: an object, `key=value` pairs, or one positional value. */
function parenArgs(inner: string): { args: Record<string, unknown>; positional: string | null } {
  const trimmed = inner.trim();
  if (trimmed.startsWith('{')) return { args: looseJson(trimmed) ?? {}, positional: null };
  if (/^\s*[A-Za-z_]\w*\s*[=:]/.test(trimmed)) {
    const args: Record<string, unknown> = {};
    for (const pair of trimmed.split(/,(?=\s*[A-Za-z_]\w*\s*[=:])/)) {
      const [key, ...value] = pair.split(/[=:]/);
      if (key) args[key.trim()] = unquote(value.join(':'));
    }
    return { args, positional: null };
  }
  return { args: {}, positional: trimmed === '' ? null : unquote(trimmed) };
}

function* calls(text: string): Generator<[number, number, Found]> {
  const pattern =
    /\b(?:call|invoke|run|execute|use|trigger)\s+(?:the\s+)?(?:(tool|function)\s+)?[`'"]?([A-Za-z][\w-]{1,63})[`'"]?/gi;
  for (const m of text.matchAll(pattern)) {
    const name = m[2] ?? '';
    let end = m.index + m[0].length;
    const tail =
      /^\s*(tool|function)?\s*(?:with(?:\s+(?:the\s+)?(?:arguments?|args|parameters|params|input))?)?\s*[:=]?\s*/i.exec(
        text.slice(end),
      );
    const after = end + (tail?.[0].length ?? 0);
    let args: Record<string, unknown> = {};
    let positional: string | null = null;
    let explicit = false;
    if (text[end] === '(') {
      const close = text.indexOf(')', end);
      if (close > end) {
        ({ args, positional } = parenArgs(text.slice(end + 1, close)));
        end = close + 1;
        explicit = true;
      }
    } else if (text[after] === '{') {
      const object = balancedObject(text, after);
      if (object) {
        args = looseJson(object) ?? {};
        end = after + object.length;
        explicit = true;
      }
    }
    // "the tool NAME" names a tool; "NAME tool" only when NAME looks like an identifier.
    const named = Boolean(m[1]) || (Boolean(tail?.[1]) && /[_-]/.test(name));
    if (NOT_TOOLS.has(name.toLowerCase())) continue;
    if (!explicit && !named && !name.includes('_')) continue;
    yield [m.index, end - m.index, { kind: 'call', tool: name, args, positional }];
  }
}

function* sends(text: string): Generator<[number, number, Found]> {
  const pattern = new RegExp(
    String.raw`\b(?:forward|send|e-?mail|bcc|cc|copy|relay|share|mail|transfer)\b[^\n]{0,120}?\bto\s*:?\s*<?(${ADDRESS})>?`,
    'gi',
  );
  for (const m of text.matchAll(pattern)) {
    const to = m[1] ?? '';
    const sentence = sentenceAt(text, m.index, m[0].length);
    const url = new RegExp(`https?://${URL_CHARS}`, 'i').exec(sentence)?.[0];
    let host = to.split('@')[1] ?? 'attacker.example';
    if (url) {
      try {
        host = new URL(trimUrl(url)).host;
      } catch {
        // keep the address's domain
      }
    }
    yield [m.index, m[0].length, { kind: 'send', to, host }];
  }
}

function* searches(text: string): Generator<[number, number, Found]> {
  const pattern =
    /\b(?:search|look\s+up|look\s+for|find\s+(?:all|every|any)|query|grep)\s+(?:(?:in|through)\s+)?(?:(?:my|the|their|his|her|all|every|any|user'?s?)\s+)*(?:(?:mail(?:box)?|e-?mails?|inbox|messages?|gmail)\s+)?(?:for\s+)?(?:(?:all|any|every|the|recent|latest)\s+)*["'“]?([^"'”\n.;:!?]{3,80})/gi;
  for (const m of text.matchAll(pattern)) {
    const query = (m[1] ?? '')
      .split(
        /,|\s+(?:and|then|to|so|in order|which|that|from the last|before|after)\b|\s+in\s+(?:your|my|the|this|their|that)\b/i,
      )[0]
      ?.trim();
    if (
      !query ||
      query.length < 3 ||
      /^(?:my\s+|the\s+)?(?:calendar|agenda|schedule)\b/i.test(query)
    )
      continue;
    yield [m.index, m[0].length, { kind: 'search', query }];
  }
}

function* calendars(text: string): Generator<[number, number, Found]> {
  const pattern =
    /\b(?:check|look at|read|open|list|pull up|get|search|scan)\s+(?:the\s+user'?s\s+|my\s+|the\s+|their\s+|his\s+|her\s+)?(?:calendar|agenda|schedule)\b(?:\s+for\s+([^\n.;]{1,40}))?/gi;
  for (const m of text.matchAll(pattern)) {
    yield [m.index, m[0].length, { kind: 'calendar', when: (m[1] ?? '').trim() }];
  }
}

function linkFound(
  text: string,
  at: number,
  length: number,
  url: string,
  label: string,
  image: boolean,
): Found {
  const full = /^https?:\/\//i.test(url) ? url : `https://${url}`;
  const withData =
    DATA_WORDS.test(sentenceAt(text, at, length)) || /[?&]d=|\{\{?\s*data/i.test(url);
  return { kind: 'link', url: trimUrl(full), label, image, withData };
}

function* links(text: string): Generator<[number, number, Found]> {
  const patterns: [RegExp, (m: RegExpMatchArray) => [string, string, boolean]][] = [
    [/!\[([^\]]{0,100})\]\(\s*([^)\s]+)\s*\)/g, (m) => [m[2] ?? '', m[1] ?? '', true]],
    [/(?<!!)\[([^\]]{1,100})\]\(\s*(https?:[^)\s]+)\s*\)/g, (m) => [m[2] ?? '', m[1] ?? '', false]],
    [/<img\b[^>]*?\bsrc=["']?(https?:[^"'\s>]+)/gi, (m) => [m[1] ?? '', 'image', true]],
    [
      /<a\b[^>]*?\bhref=["']?(https?:[^"'\s>]+)[^>]*>([^<]{0,100})/gi,
      (m) => [m[1] ?? '', m[2] ?? 'link', false],
    ],
    [
      new RegExp(
        String.raw`\b(?:include|add|append|insert|put|paste|embed|show|display|render)\b[^\n]{0,60}?\b(?:link|url|image|picture|pixel|button|badge)\b[^\n]{0,90}?(https?://${URL_CHARS})`,
        'gi',
      ),
      (m) => [m[1] ?? '', 'link', /\b(?:image|picture|pixel|badge)\b/i.test(m[0])],
    ],
    [
      new RegExp(
        String.raw`\b(?:click|visit|open|go to|head to|browse to|navigate to|sign in|log in|verify|confirm|follow|tap)\b[^\n]{0,60}?((?:https?://|www\.)${URL_CHARS}|\b(?:[a-z0-9-]+\.)+(?:example|test)\b(?:/${URL_CHARS})?)`,
        'gi',
      ),
      (m) => [m[1] ?? '', 'link', false],
    ],
  ];
  for (const [pattern, read] of patterns) {
    for (const m of text.matchAll(pattern)) {
      const [url, label, image] = read(m);
      if (url)
        yield [
          m.index ?? 0,
          m[0].length,
          linkFound(text, m.index ?? 0, m[0].length, url, label.trim(), image),
        ];
    }
  }
}

function* says(text: string): Generator<[number, number, Found]> {
  const patterns = [
    /\bignore\b[^\n]{0,120}?\b(?:instructions?|prompts?|rules|directions|guidelines|everything)\b[\s\S]{0,160}?\b(?:say|reply|respond|answer|write|output|print|tell the user)\b(?:\s+(?:with|only|exactly|just|back|that))*\s*[:\-–]?\s*(?:["“]([^"”\n]{1,300})["”]|([^\n.!?]{1,300}[.!?]?))/gi,
    /\b(?:reply|respond|answer)\b[^\n"“]{0,40}?\b(?:with|exactly)\s*(?:exactly\s*)?:?\s*["“]([^"”\n]{1,300})["”]/gi,
    /\b(?:say|tell the user)\s+(?:exactly|only|just)?\s*:?\s*["“]([^"”\n]{1,300})["”]/gi,
    /\b(?:your|the) (?:answer|reply|response|output) (?:must|should|has to) (?:be|say|read|start with)\s*:?\s*(?:["“]([^"”\n]{1,300})["”]|([^\n.!?]{1,300}[.!?]?))/gi,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const said = (m[1] ?? m[2] ?? '').trim();
      if (said) yield [m.index, m[0].length, { kind: 'say', text: said }];
    }
  }
}

function* connections(text: string): Generator<[number, number, Found]> {
  const patterns = [
    /\b(?:use|switch to|with|via|through|using)\s+(?:the\s+)?(?:connection|account|mailbox)\s*(?:id\s*)?[:=]?\s*[`'"]?([\w.@+-]{2,320})/gi,
    new RegExp(
      String.raw`\bread\s+(?:the\s+)?(?:mail|e-?mails?|inbox|messages?|mailbox)\s+of\s+(${ADDRESS}|\w+)`,
      'gi',
    ),
    new RegExp(
      String.raw`\b(?:account|mailbox|inbox)\s+(?:of\s+|for\s+|belonging to\s+)<?(${ADDRESS})>?`,
      'gi',
    ),
    new RegExp(String.raw`\b(${ADDRESS})'s\s+(?:mail|inbox|mailbox|account|calendar)`, 'gi'),
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const connection = (m[1] ?? '').replace(/[.,;]+$/, '');
      if (connection && !/^(?:of|for|the|and|id|to)$/i.test(connection)) {
        yield [m.index, m[0].length, { kind: 'connection', connection }];
      }
    }
  }
}

function key(found: Found): string {
  switch (found.kind) {
    case 'call':
      return `call ${found.tool} ${JSON.stringify(found.args)} ${found.positional}`;
    case 'send':
      return `send ${found.to.toLowerCase()}`;
    case 'search':
      return `search ${found.query.toLowerCase()}`;
    case 'calendar':
      return `calendar ${found.when}`;
    case 'link':
      return `link ${found.url}`;
    case 'say':
      return `say ${found.text}`;
    case 'connection':
      return `connection ${found.connection.toLowerCase()}`;
  }
}

/** Every instruction in the text, in order of appearance, each once. */
export function findInstructions(raw: string): Instruction[] {
  // Wrapped lines read as one sentence; blank lines still separate paragraphs.
  const text = revealHidden(raw).replace(/([^\n])\n(?=[^\n])/g, '$1 ');
  const all = [calls, sends, searches, calendars, links, says, connections].flatMap((find) => [
    ...find(text),
  ]);
  all.sort((a, b) => a[0] - b[0]);
  const seen = new Map<string, Instruction>();
  const out: Instruction[] = [];
  for (const [at, length, found] of all) {
    const k = key(found);
    const earlier = seen.get(k);
    if (earlier) {
      // The same URL read twice ("click here: [Label](url)"): keep the label and image.
      if (earlier.kind === 'link' && found.kind === 'link') {
        if (earlier.label === 'link') earlier.label = found.label;
        earlier.image ||= found.image;
        earlier.withData ||= found.withData;
      }
      continue;
    }
    const instruction: Instruction = {
      ...found,
      at,
      source: text.slice(at, at + Math.min(length, 200)),
    };
    seen.set(k, instruction);
    out.push(instruction);
  }
  return out;
}
