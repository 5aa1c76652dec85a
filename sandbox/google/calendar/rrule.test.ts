import { describe, expect, it } from 'vitest';
import { expandRule } from './rrule-expand.ts';
import { parseRule, RuleError } from './rrule-parse.ts';

const START = { kind: 'dateTime', local: '2026-01-05T09:00:00', zone: 'Europe/Berlin' } as const;

describe('parseRule', () => {
  it('rejects every part outside its range, a missing FREQ and a list where one value goes', () => {
    const bad = [
      'COUNT=3',
      'FREQ=SOMETIMES',
      'FREQ=DAILY;INTERVAL=0',
      'FREQ=DAILY;INTERVAL=1,2',
      'FREQ=MONTHLY;BYMONTHDAY=32',
      'FREQ=MONTHLY;BYMONTHDAY=0',
      'FREQ=YEARLY;BYWEEKNO=54',
      'FREQ=YEARLY;BYMONTH=13',
      'FREQ=WEEKLY;BYDAY=0MO',
      'FREQ=WEEKLY;BYDAY=XX',
      'FREQ=DAILY;BYHOUR=24',
      'FREQ=DAILY;UNTIL=20261399',
      'FREQ=DAILY;WKST=XY',
    ];
    expect(bad.filter((rule) => !(attempt(rule) instanceof RuleError))).toStrictEqual([]);
  });

  it('reads a rule with a trailing semicolon and parts it does not know', () => {
    expect(parseRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=-1FR,MO;X-NAME=1;').byDay).toStrictEqual([
      { weekday: 4, n: -1 },
      { weekday: 0, n: 0 },
    ]);
  });
});

describe('expandRule', () => {
  it('ends without an instance for a rule no date satisfies', () => {
    const starts = [
      ...expandRule(parseRule('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'), START, '2036-01-01'),
    ];
    expect(starts).toStrictEqual([]);
  });

  it('generates nothing after the last day it is given', () => {
    const starts = [...expandRule(parseRule('FREQ=WEEKLY;BYDAY=MO,TH'), START, '2026-01-15')];
    expect(starts).toStrictEqual([
      '2026-01-05T09:00:00',
      '2026-01-08T09:00:00',
      '2026-01-12T09:00:00',
      '2026-01-15T09:00:00',
    ]);
  });
});

function attempt(rule: string): unknown {
  try {
    return parseRule(rule);
  } catch (error) {
    return error;
  }
}
