import { describe, expect, it } from 'vitest';
import { localeOf } from './locale.ts';

describe('localeOf', () => {
  it('canonicalises Telegram language codes and ignores what cannot be used', () => {
    expect(
      ['en', 'en-US', 'de', 'pt-br', 'zh-hans', 'EN-gb', '', 'not a tag!', 'x'.repeat(40)].map(
        (code) => localeOf(code),
      ),
    ).toStrictEqual(['en-GB', 'en-US', 'de', 'pt-BR', 'zh-Hans', 'en-GB', null, null, null]);
  });
});
