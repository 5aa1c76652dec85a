import { describe, expect, it } from 'vitest';
import { blockquote, bold, code, escapeHtml, html, italic, link, pre } from './html.ts';
import { truncate } from './truncate.ts';

describe('escapeHtml', () => {
  it('escapes a hostile subject so no tag or entity survives', () => {
    expect(escapeHtml('<script>alert("x")</script> &amp; <b>unbalanced')).toStrictEqual(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;amp; &lt;b&gt;unbalanced',
    );
  });

  it('leaves plain text alone', () => {
    expect(escapeHtml("Lunch with Sam, 12 o'clock")).toStrictEqual("Lunch with Sam, 12 o'clock");
  });
});

describe('builders', () => {
  it('escape the text they wrap', () => {
    expect([bold('<i>'), italic('a & b'), code('x < y'), blockquote('"quoted"')]).toStrictEqual([
      '<b>&lt;i&gt;</b>',
      '<i>a &amp; b</i>',
      '<code>x &lt; y</code>',
      '<blockquote>&quot;quoted&quot;</blockquote>',
    ]);
  });

  it('nest markup passed as html without escaping it twice', () => {
    expect(bold(html(link('https://example.com/a?b=1&c=2', 'Invoice <1>')))).toStrictEqual(
      '<b><a href="https://example.com/a?b=1&amp;c=2">Invoice &lt;1&gt;</a></b>',
    );
  });

  it('link http, https and mailto addresses', () => {
    expect([
      link('http://example.com', 'a'),
      link('https://example.com/x', 'b'),
      link('mailto:alice@example.com', 'c'),
    ]).toStrictEqual([
      '<a href="http://example.com/">a</a>',
      '<a href="https://example.com/x">b</a>',
      '<a href="mailto:alice@example.com">c</a>',
    ]);
  });

  it('render other hrefs as plain text, tg: links from untrusted mail included', () => {
    expect([
      link('javascript:alert(1)', 'click <me>'),
      link('data:text/html,hi', 'data'),
      link('tg://resolve?domain=some_bot&start=x', 'Join call'),
      link('TG://user?id=42', 'user'),
      link('not a url', 'plain'),
    ]).toStrictEqual(['click &lt;me&gt;', 'data', 'Join call', 'user', 'plain']);
  });

  it('escape quotes in an href so the attribute cannot be broken out of', () => {
    expect(link('https://example.com/"onclick="x', 'a')).toStrictEqual(
      '<a href="https://example.com/%22onclick=%22x">a</a>',
    );
  });

  it('label a pre block with a sanitized language', () => {
    expect([pre('a < b'), pre('x', 'type"script')]).toStrictEqual([
      '<pre>a &lt; b</pre>',
      '<pre><code class="language-typescript">x</code></pre>',
    ]);
  });
});

describe('truncate', () => {
  it('keeps text that fits', () => {
    expect(truncate('Quarterly report', 16)).toStrictEqual('Quarterly report');
  });

  it('cuts at a word boundary near the end and adds an ellipsis', () => {
    expect(truncate('Re: quarterly report for the board meeting', 30)).toStrictEqual(
      'Re: quarterly report for the…',
    );
  });

  it('cuts inside a long word when there is no boundary nearby', () => {
    expect(truncate('Supercalifragilisticexpialidocious', 10)).toStrictEqual('Supercali…');
  });

  it('never splits a surrogate pair', () => {
    expect(truncate('ab😀cd', 4)).toStrictEqual('ab…');
  });
});
