import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dateTimeFormat, isValidZoneName } from './intl-cache.ts';

describe('the Intl cache', () => {
  it('answers zone validity as Luxon does, asked once or again', () => {
    const names = ['Europe/Paris', 'America/New_York', 'UTC', 'Mars/Olympus', 'europe/paris', ''];
    const twice = [...names, ...names].map((name) => isValidZoneName(name));
    expect(twice).toStrictEqual(
      [...names, ...names].map((name) => name !== '' && IANAZone.isValidZone(name)),
    );
    expect([null, undefined].map((name) => isValidZoneName(name))).toStrictEqual([false, false]);
  });

  it('builds one format per locale and option set, and formats as a new one would', () => {
    const options = { hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Tokyo' } as const;
    const first = dateTimeFormat('en-GB', options);
    const again = dateTimeFormat('en-GB', { ...options });
    const otherLocale = dateTimeFormat('en-US', options);
    const at = new Date('2026-03-03T14:05:00Z');
    expect({
      same: first === again,
      differs: first === otherLocale,
      text: first.format(at),
      us: otherLocale.format(at),
    }).toStrictEqual({
      same: true,
      differs: false,
      text: new Intl.DateTimeFormat('en-GB', options).format(at),
      us: new Intl.DateTimeFormat('en-US', options).format(at),
    });
  });
});
