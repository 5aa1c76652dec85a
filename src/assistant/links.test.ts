import { describe, expect, it } from 'vitest';
import { collectLinks, emptyAllowedLinks, linkTokens, trimTrailing } from './links.ts';

describe('links', () => {
  it.each([
    ['https://x.example/a.', 'https://x.example/a'],
    ['https://x.example/a),', 'https://x.example/a'],
    ['https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
    ['https://en.wikipedia.org/wiki/Foo_(bar)).', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
    ['https://x.example/**', 'https://x.example/'],
  ])('trims %s to %s', (token, trimmed) => {
    expect(trimTrailing(token)).toBe(trimmed);
  });

  it('finds each kind of link-like token where it starts', () => {
    expect(
      linkTokens('a https://x.example/p?q=1, b evil.example c me@x.example /start').map((t) => [
        t.kind,
        t.text,
      ]),
    ).toStrictEqual([
      ['url', 'https://x.example/p?q=1'],
      ['host', 'evil.example'],
      ['email', 'me@x.example'],
      ['command', '/start'],
    ]);
  });

  it('collects the http(s) URLs and addresses of a result at any depth', () => {
    const links = emptyAllowedLinks();
    collectLinks(
      {
        messages: [
          {
            link: 'https://mail.google.com/mail/u/a@example.com/#all/1',
            from: { email: 'Anna@Example.com' },
            body: 'Agenda at https://docs.example/d/1. Or ftp://files.example/x',
          },
        ],
        count: 3,
      },
      links,
    );
    expect([[...links.urls].sort(), [...links.emails]]).toStrictEqual([
      ['https://docs.example/d/1', 'https://mail.google.com/mail/u/a@example.com/#all/1'],
      ['anna@example.com'],
    ]);
  });
});
