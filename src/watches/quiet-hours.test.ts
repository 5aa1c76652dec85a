import { describe, expect, it } from 'vitest';
import { isQuiet, minutesOf } from './quiet-hours.ts';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('hold across midnight in the user’s zone', () => {
    const night = { from: '22:00', to: '07:00' };
    // 23:30 in Berlin (winter, UTC+1) is 22:30 UTC.
    expect(isQuiet(night, 'Europe/Berlin', at('2026-12-05T22:30:00Z'))).toBe(true);
    expect(isQuiet(night, 'Europe/Berlin', at('2026-12-06T05:59:00Z'))).toBe(true);
    // 07:00 local is the end: not quiet any more.
    expect(isQuiet(night, 'Europe/Berlin', at('2026-12-06T06:00:00Z'))).toBe(false);
    expect(isQuiet(night, 'Europe/Berlin', at('2026-12-05T20:59:00Z'))).toBe(false);
    expect(isQuiet(night, 'UTC', at('2026-12-05T22:30:00Z'))).toBe(true);
    expect(isQuiet(night, 'America/New_York', at('2026-12-05T22:30:00Z'))).toBe(false);
  });

  it('hold within one day, and never when unset, equal or malformed', () => {
    const lunch = { from: '12:00', to: '13:30' };
    expect(isQuiet(lunch, 'UTC', at('2026-12-05T12:00:00Z'))).toBe(true);
    expect(isQuiet(lunch, 'UTC', at('2026-12-05T13:30:00Z'))).toBe(false);
    expect(isQuiet(null, 'UTC', at('2026-12-05T12:00:00Z'))).toBe(false);
    expect(isQuiet({ from: '12:00', to: '12:00' }, 'UTC', at('2026-12-05T12:00:00Z'))).toBe(false);
    expect(isQuiet({ from: '25:00', to: '07:00' }, 'UTC', at('2026-12-05T12:00:00Z'))).toBe(false);
    expect(minutesOf('7:00')).toBeNull();
    expect(minutesOf('07:05')).toBe(425);
  });
});
