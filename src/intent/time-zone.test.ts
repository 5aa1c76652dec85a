import { describe, expect, it } from 'vitest';
import { parseTimeZone } from './time-zone.ts';

describe('parseTimeZone', () => {
  const cases: Array<[string, string | null]> = [
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    [' Berlin ', 'Europe/Berlin'],
    ['CET', 'Europe/Berlin'],
    ['new york', 'America/New_York'],
    ['NYC', 'America/New_York'],
    ['los angeles', 'America/Los_Angeles'],
    ['PST', 'America/Los_Angeles'],
    ['san francisco', 'America/Los_Angeles'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['asia/calcutta', 'Asia/Kolkata'],
    ['Mumbai', 'Asia/Kolkata'],
    ['IST', 'Asia/Kolkata'],
    ['kyiv', 'Europe/Kyiv'],
    ['Tokyo', 'Asia/Tokyo'],
    ['auckland', 'Pacific/Auckland'],
    ['wellington', 'Pacific/Auckland'],
    ['UTC', 'UTC'],
    ['gmt', 'UTC'],
    ['UTC+2', 'Etc/GMT-2'],
    ['GMT-5', 'Etc/GMT+5'],
    ['utc+0', 'UTC'],
    ['etc/gmt+5', 'Etc/GMT+5'],
    ['ETC/GMT-14', 'Etc/GMT-14'],
    ['us/eastern', 'America/New_York'],
    ['europe/kiev', 'Europe/Kyiv'],
    ['UTC+15', null],
    ['Mars/Olympus', null],
    ['atlantis', null],
    ['', null],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${expected ?? 'no zone'}`, () => {
      expect(parseTimeZone(input)).toStrictEqual(expected);
    });
  }
});
