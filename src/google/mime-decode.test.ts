import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseAddressList } from './addresses.ts';
import type { GmailMessage, GmailMessagePart } from './gmail-schemas.ts';
import { htmlToText } from './html-text.ts';
import { decodeEntities, decodeMessage, trimText } from './mime-decode.ts';
import { decodeHeaderValue } from './rfc2047.ts';

function b64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function textPart(mimeType: string, charset: string, text: string): GmailMessagePart {
  const bytes = iconv.encode(text, charset);
  return {
    mimeType,
    filename: '',
    headers: [{ name: 'Content-Type', value: `${mimeType}; charset="${charset}"` }],
    body: { size: bytes.length, data: b64url(bytes) },
  };
}

function message(payload: GmailMessagePart, headers: [string, string][] = []): GmailMessage {
  return {
    id: 'm1',
    threadId: 't1',
    labelIds: ['INBOX'],
    snippet: 'Tom &amp; Jerry&#39;s',
    internalDate: '1700000000000',
    payload: {
      ...payload,
      headers: [...headers.map(([name, value]) => ({ name, value })), ...(payload.headers ?? [])],
    },
  };
}

/** '明日の会議の資料です。 See you.' in ISO-2022-JP (JIS X 0208 between ESC $ B and ESC ( B). */
const ISO_2022_JP_HEX =
  '1b24424c40467c244e32713544244e3b714e412447243921231b28422053656520796f752e';

describe('body charsets', () => {
  const cases: [string, string][] = [
    ['ISO-8859-1', 'Café crème, à bientôt'],
    ['windows-1252', 'Smart “quotes” cost 5 €'],
    ['Shift_JIS', '会議の資料を送ります'],
    ['UTF-8', 'Zürich → Tōkyō ✓'],
    ['KOI8-R', 'Привет, мир'],
  ];
  for (const [charset, text] of cases) {
    it(`decodes a text/plain body declared as ${charset}`, () => {
      expect(decodeMessage(message(textPart('text/plain', charset, text))).body).toBe(text);
    });
  }

  it('decodes an ISO-2022-JP body, which iconv-lite lacks, through TextDecoder', () => {
    const bytes = Buffer.from(ISO_2022_JP_HEX, 'hex');
    const part: GmailMessagePart = {
      mimeType: 'text/plain',
      headers: [{ name: 'Content-Type', value: 'text/plain; charset=ISO-2022-JP' }],
      body: { size: bytes.length, data: b64url(bytes) },
    };
    expect(decodeMessage(message(part)).body).toBe('明日の会議の資料です。 See you.');
  });

  it('decodes a body without charset as UTF-8', () => {
    const part: GmailMessagePart = { mimeType: 'text/plain', body: { data: b64url('naïve') } };
    expect(decodeMessage(message(part)).body).toBe('naïve');
  });
});

describe('RFC 2047 headers', () => {
  it('decodes Q words in ISO-8859-1', () => {
    expect(decodeHeaderValue('=?ISO-8859-1?Q?Caf=E9_cr=E8me?= tonight')).toBe('Café crème tonight');
  });
  it('decodes B words in UTF-8 and joins adjacent words without the space between', () => {
    const a = Buffer.from('Grüße ').toString('base64');
    const b = Buffer.from('aus Köln').toString('base64');
    expect(decodeHeaderValue(`=?UTF-8?B?${a}?= =?UTF-8?B?${b}?=`)).toBe('Grüße aus Köln');
  });
  it('joins a multi-byte character split across two encoded words', () => {
    const bytes = Buffer.from('日本');
    const first = bytes.subarray(0, 4).toString('base64');
    const second = bytes.subarray(4).toString('base64');
    expect(decodeHeaderValue(`=?utf-8?B?${first}?==?utf-8?B?${second}?=`)).toBe('日本');
  });
  it('decodes Shift_JIS B words', () => {
    const word = iconv.encode('お知らせ', 'Shift_JIS').toString('base64');
    expect(decodeHeaderValue(`Re: =?Shift_JIS?B?${word}?=`)).toBe('Re: お知らせ');
  });
  it('decodes ISO-2022-JP B words', () => {
    const word = Buffer.from('1b2442327135441b2842', 'hex').toString('base64');
    expect(decodeHeaderValue(`=?ISO-2022-JP?B?${word}?= agenda`)).toBe('会議 agenda');
  });
  it('leaves plain text and broken words alone', () => {
    expect(decodeHeaderValue('Plain =?x subject')).toBe('Plain =?x subject');
  });
});

describe('addresses', () => {
  it('parses quoted names with commas, encoded names and bare addresses', () => {
    expect(
      parseAddressList(
        '"Doe, Jane" <jane@example.com>, =?ISO-8859-1?Q?Ren=E9?= <rene@example.fr>, bob@example.org',
      ),
    ).toStrictEqual([
      { name: 'Doe, Jane', email: 'jane@example.com' },
      { name: 'René', email: 'rene@example.fr' },
      { name: null, email: 'bob@example.org' },
    ]);
  });
  it('flattens groups and ignores empty ones', () => {
    expect(
      parseAddressList('Team: a@example.com, b@example.com;, undisclosed-recipients:;'),
    ).toStrictEqual([
      { name: null, email: 'a@example.com' },
      { name: null, email: 'b@example.com' },
    ]);
  });
});

describe('structure', () => {
  it('prefers text/plain in multipart/alternative', () => {
    const payload: GmailMessagePart = {
      mimeType: 'multipart/alternative',
      parts: [
        textPart('text/html', 'utf-8', '<p>HTML</p>'),
        textPart('text/plain', 'utf-8', 'Plain'),
      ],
    };
    expect(decodeMessage(message(payload)).body).toBe('Plain');
  });

  it('converts HTML-only mail to text with links kept and images dropped', () => {
    const html =
      '<html><head><style>p{color:red}</style></head><body><h1>Hello</h1><p>See <a href="https://example.com/x">the report</a>.</p>' +
      '<img src="https://t.example.com/pixel.gif" width="1" height="1"><p>Bye</p></body></html>';
    const decoded = decodeMessage(
      message({ mimeType: 'multipart/mixed', parts: [textPart('text/html', 'utf-8', html)] }),
    );
    expect({ body: decoded.body, source: decoded.bodySource }).toStrictEqual({
      body: 'HELLO\n\nSee the report [https://example.com/x].\n\nBye',
      source: 'text/html',
    });
  });

  it('lists attachments and decodes headers, snippet and date', () => {
    const payload: GmailMessagePart = {
      mimeType: 'multipart/mixed',
      parts: [
        textPart('text/plain', 'utf-8', 'Body'),
        {
          partId: '1',
          mimeType: 'application/pdf',
          filename: 'Rechnung_=C3=BC.pdf',
          headers: [{ name: 'Content-Disposition', value: 'attachment; filename="r.pdf"' }],
          body: { size: 12345, attachmentId: 'ANGjdJ_1' },
        },
      ],
    };
    const decoded = decodeMessage(
      message(payload, [
        ['From', '=?UTF-8?Q?J=C3=BCrgen?= <j@example.de>'],
        ['To', 'alex@example.com'],
        ['Subject', '=?UTF-8?Q?Gr=C3=BC=C3=9Fe?='],
      ]),
    );
    expect({ ...decoded, headers: undefined }).toStrictEqual({
      id: 'm1',
      threadId: 't1',
      labelIds: ['INBOX'],
      snippet: "Tom & Jerry's",
      receivedAt: new Date(1700000000000),
      headers: undefined,
      from: { name: 'Jürgen', email: 'j@example.de' },
      to: [{ name: null, email: 'alex@example.com' }],
      cc: [],
      subject: 'Grüße',
      body: 'Body',
      bodySource: 'text/plain',
      trimmedChars: 0,
      attachments: [
        {
          filename: 'Rechnung_=C3=BC.pdf',
          mimeType: 'application/pdf',
          size: 12345,
          attachmentId: 'ANGjdJ_1',
        },
      ],
    });
  });
});

describe('trimming and entities', () => {
  it('trims long bodies at a word boundary with a marker', () => {
    const text = 'word '.repeat(3000).trim();
    const result = trimText(text, 8000);
    expect(result.trimmedChars).toBe(text.length - 7999);
    expect(
      result.text.endsWith(
        `\n[… trimmed, ${(text.length - 7999).toLocaleString('en-US')} more characters]`,
      ),
    ).toBe(true);
  });
  it('keeps short bodies whole', () => {
    expect(trimText('short', 10)).toStrictEqual({ text: 'short', trimmedChars: 0 });
  });
  it('decodes named and numeric entities', () => {
    expect(decodeEntities('&lt;b&gt; &quot;x&quot; &#x41;&#66; &unknown;')).toBe(
      '<b> "x" AB &unknown;',
    );
  });
  it('reads numeric references outside Unicode as U+FFFD instead of throwing', () => {
    expect(decodeEntities('a&#99999999;b&#x110000;c&#0;d&#xD800;e&#128512;')).toBe(
      'a\ufffdb\ufffdc\ufffdd\ufffde😀',
    );
  });
  it('converts a link whose text is its address once', () => {
    expect(htmlToText('<a href="https://a.example">https://a.example</a>')).toBe(
      'https://a.example',
    );
  });
});
