import { describe, expect, it } from 'vitest';
import { splitMessage, visibleLength } from './split-message.ts';

const TELEGRAM_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-spoiler',
  'span',
  'tg-emoji',
]);

/** Whether Telegram would parse this HTML: known tags, properly nested, no bare `<`, `>` or `&`. */
function isValidTelegramHtml(markup: string): boolean {
  const stack: string[] = [];
  for (const m of markup.matchAll(
    /<(\/?)([a-z-]+)(?:\s[^<>]*)?>|&(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);|[<>&]/gi,
  )) {
    const name = m[2]?.toLowerCase();
    if (!name) {
      if (m[0].length === 1) return false;
      continue;
    }
    if (!TELEGRAM_TAGS.has(name)) return false;
    if (m[1]) {
      if (stack.pop() !== name) return false;
    } else {
      stack.push(name);
    }
  }
  return stack.length === 0;
}

/** The visible text, without tags, with entities decoded and whitespace removed. */
function visibleLetters(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, '');
}

describe('visibleLength', () => {
  it('counts text after entity parsing: tags count nothing, an entity counts one', () => {
    expect(
      visibleLength('<b>Tom &amp; Jerry</b> <a href="https://example.com/?a=1&amp;b=2">&lt;3</a>'),
    ).toStrictEqual(14);
  });

  it('counts characters outside the basic plane as two, as Telegram does', () => {
    expect(visibleLength('😀&#128512;')).toStrictEqual(4);
  });
});

describe('splitMessage', () => {
  it('returns a message that fits unchanged', () => {
    expect(splitMessage('<b>Short</b> &amp; sweet')).toStrictEqual(['<b>Short</b> &amp; sweet']);
  });

  it('splits a 20,000 character reply into valid chunks of at most 4096 visible characters', () => {
    const paragraphs: string[] = [];
    for (let i = 0; visibleLength(paragraphs.join('\n\n')) < 20_000; i++) {
      paragraphs.push(
        `<b>Meeting ${i}</b> with <a href="https://example.com/e/${i}?a=1&amp;b=2">Alice &amp; Bob</a> ` +
          `about the <i>quarterly &lt;plan&gt; and ${'budget '.repeat(i % 7)}review</i>. ` +
          'Notes: bring the numbers, the slides and the coffee.\n' +
          `<blockquote>${'Quoted mail text with <b>bold</b> words. '.repeat(1 + (i % 5))}</blockquote>`,
      );
    }
    const reply = paragraphs.join('\n\n');
    const chunks = splitMessage(reply);
    expect({
      long: visibleLength(reply) >= 20_000,
      several: chunks.length >= 5,
      fit: chunks.every((chunk) => visibleLength(chunk) <= 4096),
      valid: chunks.every(isValidTelegramHtml),
      lossless: chunks.map(visibleLetters).join('') === visibleLetters(reply),
    }).toStrictEqual({ long: true, several: true, fit: true, valid: true, lossless: true });
  });

  it('prefers a blank line', () => {
    expect(
      splitMessage('Alpha beta gamma delta.\n\nEpsilon zeta. Eta theta iota kappa.', 40),
    ).toStrictEqual(['Alpha beta gamma delta.', 'Epsilon zeta. Eta theta iota kappa.']);
  });

  it('prefers a line break over a sentence end', () => {
    expect(
      splitMessage('Alpha beta gamma delta.\nEpsilon zeta. Eta theta iota kappa.', 40),
    ).toStrictEqual(['Alpha beta gamma delta.', 'Epsilon zeta. Eta theta iota kappa.']);
  });

  it('prefers a sentence end over a word boundary', () => {
    expect(
      splitMessage('Alpha beta gamma delta. Epsilon zeta eta theta iota kappa.', 40),
    ).toStrictEqual(['Alpha beta gamma delta.', 'Epsilon zeta eta theta iota kappa.']);
  });

  it('falls back to a word boundary', () => {
    expect(splitMessage('Alpha beta gamma delta epsilon zeta eta theta', 40)).toStrictEqual([
      'Alpha beta gamma delta epsilon zeta eta',
      'theta',
    ]);
  });

  it('cuts anywhere when a word is longer than the limit', () => {
    expect(splitMessage('x'.repeat(100), 30)).toStrictEqual([
      'x'.repeat(30),
      'x'.repeat(30),
      'x'.repeat(30),
      'x'.repeat(10),
    ]);
  });

  it('re-opens tags that were open at the cut', () => {
    expect(
      splitMessage('<b>one two three four five six seven eight nine ten</b>', 20),
    ).toStrictEqual([
      '<b>one two three four</b>',
      '<b>five six seven</b>',
      '<b>eight nine ten</b>',
    ]);
  });

  it('re-opens nested tags in order, links with their href', () => {
    expect(
      splitMessage(
        '<b><a href="https://example.com/?a=1&amp;b=2">click here for the full story</a></b>',
        15,
      ),
    ).toStrictEqual([
      '<b><a href="https://example.com/?a=1&amp;b=2">click here for</a></b>',
      '<b><a href="https://example.com/?a=1&amp;b=2">the full story</a></b>',
    ]);
  });

  it('never cuts inside an entity', () => {
    expect(splitMessage('&amp;&amp;&amp;&amp;&amp;', 2)).toStrictEqual([
      '&amp;&amp;',
      '&amp;&amp;',
      '&amp;',
    ]);
  });

  it('never splits a surrogate pair', () => {
    expect(splitMessage('😀😀😀😀😀', 5)).toStrictEqual(['😀😀', '😀😀', '😀']);
  });

  it('escapes stray brackets and ampersands and drops unmatched closing tags', () => {
    expect(splitMessage('a < b & c > d</i> e f g h', 8)).toStrictEqual([
      'a &lt; b &amp;',
      'c &gt; d e',
      'f g h',
    ]);
  });
});
