import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isValidZone } from './user-zone.ts';

describe('remembered zone validity', () => {
  const names = ['Europe/Berlin', 'America/New_York', 'UTC', 'Fantasia/Castle', 'Sport~~blorp', ''];

  it("gives Luxon's answer for valid and invalid names, every time it is asked", () => {
    const luxon = names.map((name) => IANAZone.isValidZone(name));
    const first = names.map(isValidZone);
    const second = names.map(isValidZone);
    expect({ first, second }).toStrictEqual({ first: luxon, second: luxon });
    expect(luxon).toStrictEqual([true, true, true, false, false, false]);
  });
});
