import { describe, expect, it } from 'vitest';
import type { RouteContext } from './intent.ts';
import { buildMailQuery, safeTokens } from './mail-query.ts';

const ctx: RouteContext = { now: new Date('2026-03-05T14:20:00Z'), timeZone: 'Europe/Berlin' };
/** The only operators the router itself writes. */
const OWN_OPERATOR = /^(?:from|to|is|has|in|after|before):[\p{L}\p{N}@._+'/-]+$/u;
const SAFE_WORD = /^"?[\p{L}\p{N}@._+'-]+"?$/u;

describe('safeTokens', () => {
  it('cuts words at operator characters and drops negation and grouping', () => {
    expect(safeTokens('-{alice} (subject:"x") OR from:ceo@corp.com +exact ..dots..')).toStrictEqual(
      ['alice', 'subject', 'x', 'or', 'from', 'ceo@corp.com', 'exact', 'dots'],
    );
  });
});

describe('buildMailQuery', () => {
  const hostile = [
    'mail from (ceo OR cfo) -label:spam {x y} subject:"a" AROUND 5',
    'emails from alice@x.com:is:starred',
    'mail from "bob" OR "carol" in:anywhere -in:trash',
    'emails from alice) OR (label:secret',
    'mail about \u202e\u0000 rm -rf / *',
  ];
  for (const text of hostile) {
    it(`writes only its own operators for ${JSON.stringify(text)}`, () => {
      const words = buildMailQuery(text.toLowerCase(), ctx).query.split(' ');
      expect(
        words.filter((word) => !OWN_OPERATOR.test(word) && !SAFE_WORD.test(word)),
      ).toStrictEqual([]);
    });
  }

  it('keeps a quoted phrase as one phrase', () => {
    expect(buildMailQuery('emails about "q3 board (draft)" from dana', ctx)).toStrictEqual({
      query: 'from:dana "q3 board draft"',
      label: 'mail from dana about "q3 board draft"',
      hasFilters: true,
      unread: false,
    });
  });
});
