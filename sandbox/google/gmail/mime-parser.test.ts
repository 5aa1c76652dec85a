import { describe, expect, it } from 'vitest';
import { parseStructured } from './mime-headers.ts';
import { leafParts, parseMime } from './mime-parser.ts';
import { decodeQuotedPrintable } from './transfer-encoding.ts';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');

describe('parseMime', () => {
  it('keeps headers as written, with folded lines joined', () => {
    const root = parseMime(
      crlf([
        'From: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.org>',
        'Subject: a long',
        '\tfolded subject',
        'X-Empty:',
        '',
        'Hello',
      ]),
    );
    expect(root.headers).toStrictEqual([
      { name: 'From', value: '=?UTF-8?Q?Ren=C3=A9e?= <renee@example.org>' },
      { name: 'Subject', value: 'a long\tfolded subject' },
      { name: 'X-Empty', value: '' },
    ]);
    expect(root.mimeType).toBe('text/plain');
    expect(root.body.toString()).toBe('Hello');
  });

  it('splits nested multiparts and decodes each transfer encoding', () => {
    const root = parseMime(
      crlf([
        'Content-Type: multipart/mixed; boundary="outer"',
        '',
        'preamble to ignore',
        '--outer',
        'Content-Type: multipart/alternative; boundary=inner',
        '',
        '--inner',
        'Content-Type: text/plain; charset=ISO-8859-1',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Caf=E9 cr=E8me, a long line that is =',
        'soft broken',
        '--inner',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('<p>Café</p>').toString('base64'),
        '--inner--',
        '--outer',
        'Content-Type: application/pdf; name="x.pdf"',
        'Content-Disposition: attachment; filename="invoice.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
        '--outer--',
        'epilogue',
      ]),
    );
    expect(root.parts.map((part) => part.mimeType)).toStrictEqual([
      'multipart/alternative',
      'application/pdf',
    ]);
    const leaves = leafParts(root);
    expect(
      leaves.map((part) => [part.mimeType, part.filename, part.body.toString('latin1')]),
    ).toStrictEqual([
      ['text/plain', '', 'Café crème, a long line that is soft broken'],
      ['text/html', '', Buffer.from('<p>Café</p>').toString('latin1')],
      ['application/pdf', 'invoice.pdf', '%PDF-1.4\n'],
    ]);
    expect(leaves[0]!.params.charset).toBe('ISO-8859-1');
  });

  it('reads RFC 2231 and RFC 2047 filenames', () => {
    const root = parseMime(
      crlf([
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: application/octet-stream',
        "Content-Disposition: attachment; filename*0*=utf-8''Re%C3%A7u;",
        ' filename*1=".txt"',
        '',
        'x',
        '--b',
        'Content-Type: image/png; name="=?ISO-8859-1?Q?M=F6bel.png?="',
        '',
        'y',
        '--b--',
      ]),
    );
    expect(root.parts.map((part) => part.filename)).toStrictEqual(['Reçu.txt', 'Möbel.png']);
  });

  it('accepts bare LF line endings', () => {
    const root = parseMime(
      Buffer.from(
        'Content-Type: multipart/alternative; boundary=z\n\n--z\n\none\n--z\n\ntwo\n--z--\n',
      ),
    );
    expect(root.parts.map((part) => part.body.toString())).toStrictEqual(['one', 'two']);
  });
});

describe('parseStructured', () => {
  it('parses quoted parameters with semicolons and escapes', () => {
    expect(parseStructured('Text/HTML; charset="utf-8"; name="a;b \\"c\\".html"')).toStrictEqual({
      value: 'text/html',
      params: { charset: 'utf-8', name: 'a;b "c".html' },
    });
  });
});

describe('decodeQuotedPrintable', () => {
  it('keeps a malformed escape as it is', () => {
    expect(decodeQuotedPrintable(Buffer.from('100=%, =3D ok')).toString()).toBe('100=%, = ok');
  });
});
