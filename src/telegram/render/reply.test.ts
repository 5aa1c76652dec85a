import { describe, expect, it } from 'vitest';
import { visible } from './reply.ts';

describe('what a reply shows', () => {
  it('removes every format and control character from text and button labels', () => {
    const hidden =
      '\u202E\u2067\u200B\u200D\u2060\uFEFF\u{E0041}\u0600\u{110BD}\u{1D173}\uFFF9\u0008\u009B';
    expect(
      visible({
        html: `<b>invoice_${hidden}gnp.exe</b>\n\tline two\r\nthree`,
        buttons: [[{ text: `Open${hidden} 1`, callback_data: 'o:1' }]],
      }),
    ).toStrictEqual({
      html: '<b>invoice_gnp.exe</b>\n\tline two\nthree',
      buttons: [[{ text: 'Open 1', callback_data: 'o:1' }]],
    });
  });

  it('keeps emoji, variation selectors and right-to-left scripts', () => {
    const text = '☀️ ⚠️ שלום مرحبا 👍🏽';
    expect(visible({ html: text })).toStrictEqual({ html: text });
  });
});
