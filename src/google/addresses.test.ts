import { describe, expect, it } from 'vitest';
import { parseAddressList } from './addresses.ts';

const b64 = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

/** [what, header, parsed]. */
const HOSTILE: ReadonlyArray<readonly [string, string, unknown[]]> = [
  [
    'a quoted name holding another address',
    '"Bank <security@bank.com>" <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'a bare address as the name',
    'security@bank.com <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'a quoted address as the name',
    '"security@bank.com" <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'an escaped quote hiding an address in the name',
    '"Security\\" <a@bank.com>" <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'a fullwidth at sign in the name',
    'security＠bank.com <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  ['an unclosed quote', '"Bank <evil@x.com>', []],
  ['an unclosed angle bracket', 'Bank <evil@x.com', []],
  ['a stray closing angle bracket', 'Bank evil@x.com>', []],
  ['nested angle brackets', 'Bank <<evil@x.com>>', []],
  ['two angle addresses', '<security@bank.com> <evil@x.com>', []],
  ['text after the address', 'Bank <evil@x.com> security@bank.com', []],
  ['two bare addresses without a comma', 'security@bank.com evil@x.com', []],
  ['an address with two at signs', 'Bank <security@bank.com@evil.com>', []],
  ['angle brackets around no address', 'Name <not an address>', []],
  ['an empty angle address', '"Bank" <>', []],
  ['an unclosed comment', 'evil@x.com (Bank', []],
  [
    'a comment naming another address',
    'evil@x.com (security@bank.com)',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'a comment before the address',
    '(security@bank.com) evil@x.com',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'a comment in the name naming another address',
    'Bank (security@bank.com) <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'an encoded word holding an address in angle brackets',
    '=?UTF-8?Q?Bank_<security@bank.com>?= <evil@x.com>',
    [{ name: null, email: 'evil@x.com' }],
  ],
  [
    'a base64 encoded word holding an address',
    `${b64('security@bank.com <x>')} <evil@x.com>`,
    [{ name: null, email: 'evil@x.com' }],
  ],
  ['an encoded word as the address', `Bank <${b64('security@bank.com')}>`, []],
  ['a header injected after a line break', 'Bank <evil@x.com>\r\nBcc: z@z.com', []],
  ['a bare line feed inside the name', 'Bank\nSecurity <evil@x.com>', []],
  [
    'a folded header',
    'Bank\r\n Security <evil@x.com>',
    [{ name: 'Bank Security', email: 'evil@x.com' }],
  ],
  ['a control character in the address', 'Bank <evil\u0000@x.com>', []],
  ['a right-to-left override in the address', 'Bank <moc.x@\u202Elive>', []],
  [
    'several addresses, one of them hostile',
    '"Bank <security@bank.com>" <evil@x.com>, Ann <ann@example.org>, (x) bob@example.org',
    [
      { name: null, email: 'evil@x.com' },
      { name: 'Ann', email: 'ann@example.org' },
      { name: 'x', email: 'bob@example.org' },
    ],
  ],
];

const FRIENDLY: ReadonlyArray<readonly [string, string, unknown[]]> = [
  [
    'a plain name',
    'Anna Lindqvist <anna@example.org>',
    [{ name: 'Anna Lindqvist', email: 'anna@example.org' }],
  ],
  ['a bare address', 'anna@example.org', [{ name: null, email: 'anna@example.org' }]],
  ['an angle address alone', '<anna@example.org>', [{ name: null, email: 'anna@example.org' }]],
  [
    'a name with a comment after the address',
    'Anna <anna@example.org> (work)',
    [{ name: 'Anna', email: 'anna@example.org' }],
  ],
  [
    'a name with a comment in it',
    'Anna (via Docs) <anna@example.org>',
    [{ name: 'Anna (via Docs)', email: 'anna@example.org' }],
  ],
  [
    'a heart in the name',
    '"Love <3" <anna@example.org>',
    [{ name: 'Love <3', email: 'anna@example.org' }],
  ],
  [
    'a spaced at sign in the name',
    'Anna @ Studio <anna@example.org>',
    [{ name: 'Anna @ Studio', email: 'anna@example.org' }],
  ],
  [
    'a quoted local part',
    'Anna <"anna lind"@example.org>',
    [{ name: 'Anna', email: '"anna lind"@example.org' }],
  ],
  [
    'an international address and name',
    `${b64('Zoë Ñúñez')} <zoë@exämple.org>`,
    [{ name: 'Zoë Ñúñez', email: 'zoë@exämple.org' }],
  ],
];

describe('address headers', () => {
  it.each(HOSTILE)('parses %s to the real mailbox or none', (_what, header, parsed) => {
    expect(parseAddressList(header)).toStrictEqual(parsed);
  });

  it.each(FRIENDLY)('parses %s as written', (_what, header, parsed) => {
    expect(parseAddressList(header)).toStrictEqual(parsed);
  });

  it('never gives an address with a space, an angle bracket or a second at sign', () => {
    const addresses = HOSTILE.flatMap(([, header]) => parseAddressList(header));
    expect(
      addresses.filter((a) => /[\s<>]/.test(a.email) || a.email.split('@').length !== 2),
    ).toStrictEqual([]);
  });
});
