/**
 * The raw material of the hostile-input suite, as fast-check arbitraries: text of any code
 * point mixed with fragments known to upset parsers, text as it appears in URLs (broken
 * percent-encoding included), query strings, JSON and non-JSON bodies, header values and
 * `Authorization` headers with real and made-up API keys.
 */
import fc from 'fast-check';

/** Fragments that break naive parsing, decoding, escaping or lookups. */
export const NASTY = [
  '%',
  '%%',
  '%E0%A4%A',
  '%ZZ',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  '%00',
  '%0A',
  '%2F..%2F',
  '%uD800',
  '..',
  '/',
  '__proto__',
  'constructor',
  'prototype',
  '[',
  ']',
  '[]',
  "'",
  '"',
  '\\',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '$' + '{x}',
  "' OR 1=1 --",
  '\u202E',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '💥',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  'x'.repeat(700),
  'from:alice is:unread',
  'tomorrow at 3pm',
] as const;

const piece = fc.constantFrom(...NASTY);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Any text: random code points, lone surrogates, ASCII, and nasty fragments. */
export const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: loneSurrogate, maxLength: 3 }),
  fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 6 }).map((a) => a.join('')),
);

/** Text as it may appear in a URL: encoded when it can be, raw and broken when it cannot. */
export const urlText = fc
  .tuple(text, fc.boolean())
  .map(([t, raw]) => {
    if (raw && /^[\x21-\x7e]*$/.test(t)) return t;
    try {
      return encodeURIComponent(t);
    } catch {
      return '%ED%A0%80';
    }
  })
  .map((t) => t.replace(/#/g, '%23'));

export const V1_PARAMS = [
  'q',
  'pageSize',
  'pageToken',
  'maxChars',
  'day',
  'from',
  'to',
  'at',
  'minMinutes',
  'workingHours[start]',
  'workingHours[end]',
  'workingHours.start',
  'includeWeekends',
  'days',
  'limit',
  'connection',
  '__proto__',
  '__proto__[x]',
  'constructor',
] as const;

/** `?a=b&…`, or nothing. */
export const queryString = (names: readonly string[]) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), urlText), urlText, fc.boolean()), {
      maxLength: 5,
    })
    .map((pairs) =>
      pairs.length === 0
        ? ''
        : `?${pairs.map(([k, v, bare]) => (bare ? k : `${k}=${v}`)).join('&')}`,
    );

export const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom(...V1_PARAMS, 'query', 'messageId'), text),
      fc.jsonValue({ maxDepth: 2 }),
      {
        maxKeys: 4,
      },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"__proto__":{"x":1}}',
    '{"a":1,"__proto__":null}',
    '{"constructor":{"prototype":{"x":1}}}',
    '[]',
    'null',
    '',
    '{',
    '{"query":"x"',
    `{"query":"${'y'.repeat(5000)}"}`,
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
  ),
  text,
);

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  'application/json; charset=latin1',
  '*/*',
  'x',
] as const;

/** A header value Node will send: tabs and visible Latin-1, no line breaks. */
export const headerValue = fc.oneof(
  fc
    .string({ unit: 'grapheme-ascii', maxLength: 60 })
    .map((v) => v.replace(/\p{Cc}/gu, (c) => (c === '\t' ? c : ''))),
  fc.constantFrom(...NASTY).map((v) => v.replace(/[^\t\x20-\x7e]/g, '')),
);

/** `Authorization`: one of the person's keys (by index), none, or something made up. */
export const authorization = (keys: readonly string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys).map((k) => `Bearer ${k}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        headerValue.map((v) => `Bearer ${v}`),
        fc.constantFrom(...keys).map((k) => `Bearer ${k.slice(0, -1)}x`),
        fc.constantFrom(...keys).map((k) => `bearer  ${k}  `),
        fc.constantFrom(...keys).map((k) => `Basic ${k}`),
        fc.constant('Bearer tid_00000000_0000000000000000000000000000000000000000'),
        headerValue,
      ),
    },
  );

export const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'x-request-id',
    'accept',
    'x-forwarded-for',
    'cookie',
    'accept-language',
    'x-custom',
  ),
  headerValue,
  { maxKeys: 3 },
);

export const day = fc
  .integer({ min: -10, max: 10 })
  .map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10));
