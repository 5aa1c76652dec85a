import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCharset } from './charset.ts';
import { decodeEncodedWords } from './encoded-words.ts';

describe('decodeCharset', () => {
  it('decodes Shift_JIS, Windows-1252 and ISO-8859-1 bytes', () => {
    expect(decodeCharset(iconv.encode('請求書を送ります', 'shift_jis'), 'Shift_JIS')).toBe(
      '請求書を送ります',
    );
    expect(decodeCharset(Buffer.from([0x93, 0x80, 0x35, 0x94]), 'windows-1252')).toBe('“€5”');
    expect(decodeCharset(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1')).toBe('café');
  });

  it('falls back to UTF-8, then Latin-1, for unknown or missing charsets', () => {
    expect(decodeCharset(Buffer.from('naïve'), 'x-unknown')).toBe('naïve');
    expect(decodeCharset(Buffer.from([0x6e, 0x61, 0xef, 0x76, 0x65]), undefined)).toBe('naïve');
  });
});

describe('decodeEncodedWords', () => {
  it('decodes Q and B words in UTF-8 and ISO-8859-1', () => {
    expect(decodeEncodedWords('=?ISO-8859-1?Q?Fran=E7ois_Dupr=E9?= <f@example.org>')).toBe(
      'François Dupré <f@example.org>',
    );
    expect(decodeEncodedWords('=?UTF-8?B?5pel5pys6Kqe?= test')).toBe('日本語 test');
  });

  it('joins adjacent words and keeps a character split across two words', () => {
    const euro = Buffer.from('€');
    const first = `=?utf-8?B?${euro.subarray(0, 2).toString('base64')}?=`;
    const second = `=?utf-8?B?${euro.subarray(2).toString('base64')}?=`;
    expect(decodeEncodedWords(`Price: ${first} \r\n ${second}5`)).toBe('Price: €5');
  });

  it('leaves malformed words as text', () => {
    expect(decodeEncodedWords('=?utf-8?X?abc?= plain')).toBe('=?utf-8?X?abc?= plain');
  });
});
