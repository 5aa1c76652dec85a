import { describe, expect, it } from 'vitest';
import { normaliseSubject } from './mail-shapes.ts';

describe('normaliseSubject', () => {
  it('takes off every reply and forward prefix, in any case and several languages', () => {
    expect(
      [
        "Re: Re: Dinner for Noor's 30th on Saturday?",
        'RE: Fwd: FW: Budget',
        'AW: WG: Angebot',
        'Sv: VS: Middag',
        'Re[2]: Minutes',
        'Re : Projet',
        '回复：会议',
        '  Re:Re:  Spaced  ',
      ].map(normaliseSubject),
    ).toStrictEqual([
      "Dinner for Noor's 30th on Saturday?",
      'Budget',
      'Angebot',
      'Middag',
      'Minutes',
      'Projet',
      '会议',
      'Spaced',
    ]);
  });

  it('leaves a subject without a prefix as it is, "re" inside words included', () => {
    expect(
      ['Rebrand kickoff', 'Review: Q3', 'Fwding rules', 'Re'].map(normaliseSubject),
    ).toStrictEqual(['Rebrand kickoff', 'Review: Q3', 'Fwding rules', 'Re']);
  });
});
