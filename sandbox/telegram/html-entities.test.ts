import { describe, expect, it } from 'vitest';
import { BotApiError } from './bot-api-error.ts';
import { parseHtml } from './html-entities.ts';
import { formatBotText, formatUserText } from './message-text.ts';

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof BotApiError ? error.toBody() : error;
  }
  return 'no error';
}

const badEntities = (detail: string) => ({
  ok: false,
  error_code: 400,
  description: `Bad Request: can't parse entities: ${detail}`,
});

describe('parseHtml', () => {
  it('turns nested tags, links and escapes into text and entities', () => {
    expect(
      parseHtml(
        '<b>Bold <i>both</i></b> &lt;x&gt; &amp; &quot;q&quot; &#8364; <a href="https://e.com/?a=1&amp;b=2">link</a>',
      ),
    ).toStrictEqual({
      text: 'Bold both <x> & "q" € link',
      entities: [
        { type: 'bold', offset: 0, length: 9 },
        { type: 'italic', offset: 5, length: 4 },
        { type: 'text_link', offset: 22, length: 4, url: 'https://e.com/?a=1&b=2' },
      ],
    });
  });

  it('maps every supported tag to its entity type', () => {
    expect(
      parseHtml(
        '<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>' +
          '<code>h</code><tg-spoiler>i</tg-spoiler><span class="tg-spoiler">j</span>' +
          '<blockquote>k</blockquote><blockquote expandable>l</blockquote>',
      ).entities.map((e) => e.type),
    ).toStrictEqual([
      'bold',
      'italic',
      'underline',
      'underline',
      'strikethrough',
      'strikethrough',
      'strikethrough',
      'code',
      'spoiler',
      'spoiler',
      'blockquote',
      'expandable_blockquote',
    ]);
  });

  it('gives a pre block the language of its inner code tag', () => {
    expect(parseHtml('<pre><code class="language-ts">let x = 1;</code></pre>')).toStrictEqual({
      text: 'let x = 1;',
      entities: [{ type: 'pre', offset: 0, length: 10, language: 'ts' }],
    });
  });

  it('counts offsets in UTF-16 code units', () => {
    expect(parseHtml('😀 <b>ok</b>').entities).toStrictEqual([
      { type: 'bold', offset: 3, length: 2 },
    ]);
  });

  it('refuses an unclosed tag', () => {
    expect(failure(() => parseHtml('<b>bold'))).toStrictEqual(
      badEntities('Can\'t find end tag corresponding to start tag "b"'),
    );
  });

  it('refuses a mismatched end tag with its byte offset', () => {
    expect(failure(() => parseHtml('é<b>x</i>'))).toStrictEqual(
      badEntities('Unmatched end tag at byte offset 6, expected "</b>", found "</i>"'),
    );
  });

  it('refuses an unsupported tag', () => {
    expect(failure(() => parseHtml('line<br>next'))).toStrictEqual(
      badEntities('Unsupported start tag "br" at byte offset 4'),
    );
  });

  it('refuses an unescaped ampersand, less-than and greater-than', () => {
    expect(failure(() => parseHtml('Tom & Jerry'))).toStrictEqual(
      badEntities('Character "&" must be escaped as "&amp;" at byte offset 4'),
    );
    expect(failure(() => parseHtml('a < b'))).toStrictEqual(
      badEntities('Character "<" must be escaped as "&lt;" at byte offset 2'),
    );
    expect(failure(() => parseHtml('a > b'))).toStrictEqual(
      badEntities('Character ">" must be escaped as "&gt;" at byte offset 2'),
    );
  });

  it('refuses a span that is not a spoiler and an end tag with nothing open', () => {
    expect(failure(() => parseHtml('<span>x</span>'))).toStrictEqual(
      badEntities('Tag "span" must have class "tg-spoiler" at byte offset 0'),
    );
    expect(failure(() => parseHtml('x</b>'))).toStrictEqual(
      badEntities('Unexpected end tag at byte offset 1'),
    );
  });

  it('drops a link whose address is not a URL', () => {
    expect(parseHtml('<a href="javascript:alert(1)">x</a>')).toStrictEqual({
      text: 'x',
      entities: [],
    });
  });
});

describe('formatBotText', () => {
  it('trims whitespace and keeps the HTML as sent', () => {
    expect(formatBotText('  <b>hi</b> /help \n', 'HTML', undefined)).toStrictEqual({
      text: 'hi /help',
      entities: [
        { type: 'bold', offset: 0, length: 2 },
        { type: 'bot_command', offset: 3, length: 5 },
      ],
      html: '  <b>hi</b> /help \n',
    });
  });

  it('measures the length after entity parsing', () => {
    const text = 'a'.repeat(4096);
    expect(formatBotText(`<b>${text}</b>`, 'HTML', undefined).text).toBe(text);
    expect(failure(() => formatBotText(`${text}b`, undefined, undefined))).toStrictEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message is too long',
    });
  });

  it('refuses a text that is empty after parsing', () => {
    expect(failure(() => formatBotText('<b> </b>', 'HTML', undefined))).toStrictEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message text is empty',
    });
  });

  it('refuses an unknown parse mode', () => {
    expect(failure(() => formatBotText('x', 'BBCode', undefined))).toStrictEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: unsupported parse_mode',
    });
  });
});

describe('formatUserText', () => {
  it('detects commands with payloads, mentions and links', () => {
    expect(formatUserText('/start abc_1 @someone https://example.com/x.')).toStrictEqual({
      text: '/start abc_1 @someone https://example.com/x.',
      entities: [
        { type: 'bot_command', offset: 0, length: 6 },
        { type: 'mention', offset: 13, length: 8 },
        { type: 'url', offset: 22, length: 21 },
      ],
    });
  });
});
